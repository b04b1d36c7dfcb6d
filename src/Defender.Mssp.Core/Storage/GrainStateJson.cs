using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Storage;

/// <summary>The one JSON shape every grain storage uses, so states move between implementations unchanged.</summary>
public static class GrainStateJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };
}
