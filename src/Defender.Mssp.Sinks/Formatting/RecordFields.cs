using System.Text.Json;

namespace Defender.Mssp.Sinks;

/// <summary>Reads top-level fields of a record's JSON for the sinks that flatten records (CSV columns, CEF fields).</summary>
internal static class RecordFields
{
    /// <summary>The field by its exact name, else by a case-insensitive match (the SIEM API is PascalCase, the rest camelCase).</summary>
    public static bool TryGet(JsonElement record, string name, out JsonElement value)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            value = default;
            return false;
        }

        if (record.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in record.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// A field as text: strings as they read, numbers and booleans as JSON writes them, objects and arrays as compact
    /// JSON, null and absent as null.
    /// </summary>
    public static string? Text(JsonElement record, string name) =>
        TryGet(record, name, out var value) ? Text(value) : null;

    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Object or JsonValueKind.Array => Compact(value),
        _ => value.GetRawText(),
    };

    /// <summary>The first of <paramref name="names"/> that has a non-empty text value.</summary>
    public static string? FirstText(JsonElement record, IEnumerable<string> names) =>
        names.Select(name => Text(record, name)).FirstOrDefault(text => !string.IsNullOrEmpty(text));

    private static string Compact(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.AsSpan().IndexOfAny('\r', '\n') < 0 ? raw : JsonSerializer.Serialize(value);
    }
}
