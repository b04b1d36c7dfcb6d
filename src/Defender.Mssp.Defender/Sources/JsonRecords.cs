using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Turns a response body into records, read as it streams in (see <see cref="StreamedPage"/>); each record keeps the
/// exact UTF-8 bytes the API sent for it.
/// </summary>
internal static class JsonRecords
{
    /// <summary>An OData page: <c>{"value":[…], "@odata.nextLink": …}</c>.</summary>
    public static async Task<IReadOnlyList<DefenderRecord>> ReadODataPageAsync(
        Stream body, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons, CancellationToken cancellationToken) =>
        (await StreamedPage.ReadAsync(body, PageShape.OData, map, poisons, cancellationToken).ConfigureAwait(false)).Records;

    /// <summary>A bare JSON array, as the SIEM API answers.</summary>
    public static async Task<IReadOnlyList<DefenderRecord>> ReadArrayAsync(
        Stream body, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons, CancellationToken cancellationToken) =>
        (await StreamedPage.ReadAsync(body, PageShape.Array, map, poisons, cancellationToken).ConfigureAwait(false)).Records;

    /// <summary>The element's bytes exactly as served, copied out of the buffer they were parsed in.</summary>
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
}
