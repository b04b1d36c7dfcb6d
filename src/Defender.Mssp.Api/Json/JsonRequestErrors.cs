using System.Reflection;
using System.Text.Json;
using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Json;

/// <summary>
/// Turns <see cref="JsonException"/>s into field errors: the field from the exception's path, a message of our own
/// (System.Text.Json's speak of .NET types, and a client needs to know what the field takes).
/// </summary>
public static class JsonRequestErrors
{
    /// <summary>The field name standing for the body as a whole.</summary>
    public const string Body = "body";

    /// <summary>Checks that <paramref name="json"/> is well-formed JSON, before any attempt to bind it.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> json, FieldErrors errors, string prefix = "", int firstLine = 1)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ApiJson.MaxDepth });
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException e)
        {
            errors.Add(prefix + Body, $"Not valid JSON at line {firstLine + (e.LineNumber ?? 0)}, position {(e.BytePositionInLine ?? 0) + 1}.");
            return false;
        }
    }

    /// <summary>Adds the error <paramref name="exception"/> stands for, binding JSON to <typeparamref name="T"/>.</summary>
    public static void Add<T>(JsonException exception, FieldErrors errors, string prefix = "")
    {
        var field = FieldOf(exception.Path);
        if (field.Length == 0)
        {
            errors.Add(prefix + Body, "Must be a JSON object.");
            return;
        }

        var message = exception.Message switch
        {
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) =>
                "Unknown field; see the OpenAPI document for the fields this request takes.",
            var m when m.StartsWith("Duplicate property", StringComparison.Ordinal) => "Given more than once.",
            _ => $"Must be {Expected(typeof(T), field)}.",
        };
        errors.Add(prefix + field, message);
    }

    /// <summary><c>$.sources[1]</c> → <c>sources[1]</c>; <c>$</c> → empty.</summary>
    internal static string FieldOf(string? path) =>
        path is null || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>What the field (<c>name</c> or <c>name[i]</c>) of <paramref name="type"/> takes, in JSON terms.</summary>
    private static string Expected(Type type, string field)
    {
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        var name = bracket < 0 ? field : field[..bracket];
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            name = name[..dot];
        }

        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null)
        {
            return "a valid value";
        }

        var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (bracket >= 0 && propertyType.IsGenericType)
        {
            propertyType = propertyType.GetGenericArguments()[0];
        }

        return propertyType switch
        {
            _ when propertyType == typeof(string) => "a string",
            _ when propertyType == typeof(bool) => "true or false",
            _ when propertyType == typeof(TimeSpan) => Durations.Description,
            _ when propertyType == typeof(int) || propertyType == typeof(long) => "a whole number",
            _ when propertyType.IsGenericType && propertyType.GetGenericArguments()[0] == typeof(string) => "an array of strings",
            _ => "a valid value",
        };
    }
}
