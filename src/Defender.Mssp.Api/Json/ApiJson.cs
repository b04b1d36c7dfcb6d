using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Api.Json;

/// <summary>
/// The API's JSON: camelCase, enums by name (never by number), durations as <see cref="Durations"/>, and strict on
/// input — a field the request type does not have, a field given twice, or a null where none is allowed is an error,
/// not something to ignore.
/// </summary>
public static class ApiJson
{
    public const int MaxDepth = 16;

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the API's settings to <paramref name="options"/> (ASP.NET Core's own, for responses).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.MaxDepth = MaxDepth;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.Converters.Add(new DurationJsonConverter());
        return options;
    }
}
