using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>The JSON shape of tenant documents: web naming, enums by name, durations as <c>[d.]hh:mm:ss</c>.</summary>
public static class TenantDocumentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
