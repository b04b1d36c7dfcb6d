using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Turns a response body into records. The body is parsed as it streams in (no intermediate string); each record
/// keeps the exact UTF-8 bytes the API sent for it.
/// </summary>
internal static class JsonRecords
{
    /// <summary>An OData page: <c>{"value":[…], "@odata.nextLink": …}</c>.</summary>
    public static async Task<IReadOnlyList<DefenderRecord>> ReadODataPageAsync(
        Stream body, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value)
            || value.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The page has no 'value' array.");
        }

        return Map(value, map, poisons);
    }

    /// <summary>A bare JSON array, as the SIEM API answers.</summary>
    public static async Task<IReadOnlyList<DefenderRecord>> ReadArrayAsync(
        Stream body, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Expected a JSON array, got {document.RootElement.ValueKind}.");
        }

        return Map(document.RootElement, map, poisons);
    }

    /// <summary>The element's bytes exactly as served, copied out of the pooled document buffer.</summary>
    public static ReadOnlyMemory<byte> Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    /// <summary>An id that may be a JSON number (incident ids) or string; numbers keep their invariant text.</summary>
    public static string? IdOf(JsonElement record, string property)
    {
        if (!record.TryGetProperty(property, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>A timestamp field; one without an offset is UTC, as every Defender API means it.</summary>
    public static DateTimeOffset TimeOf(JsonElement record, string property)
    {
        if (!record.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"A record has no '{property}' timestamp.");
        }

        var text = value.GetString()!;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new InvalidDataException($"A record's '{property}' is not a timestamp: '{text}'.");
    }

    /// <summary>
    /// Maps each element; one that is not an object or lacks what <paramref name="map"/> needs is poison: set aside in
    /// <paramref name="poisons"/> when given (the rest of the page still counts), else it fails the page.
    /// </summary>
    internal static List<DefenderRecord> Map(JsonElement array, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons)
    {
        var records = new List<DefenderRecord>(array.GetArrayLength());
        foreach (var element in array.EnumerateArray())
        {
            try
            {
                records.Add(element.ValueKind == JsonValueKind.Object
                    ? map(element)
                    : throw new InvalidDataException($"Expected records as JSON objects, got {element.ValueKind}."));
            }
            catch (Exception ex) when (poisons is not null && ex is InvalidDataException or FormatException)
            {
                poisons.Add(new PoisonRecord(Raw(element), ex.Message));
            }
        }

        return records;
    }
}
