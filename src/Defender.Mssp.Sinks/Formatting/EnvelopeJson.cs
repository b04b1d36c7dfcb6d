using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Writes a <see cref="RecordEnvelope"/> as JSON with the record's bytes copied verbatim rather than parsed and
/// re-serialised — the one envelope shape every JSON-speaking sink (files, HTTP, syslog JSON) shares.
/// </summary>
internal static class EnvelopeJson
{
    private static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText LastUpdateTime = JsonEncodedText.Encode("lastUpdateTime");
    private static readonly JsonEncodedText IdempotencyKeyName = JsonEncodedText.Encode("idempotencyKey");
    private static readonly JsonEncodedText ReceivedAt = JsonEncodedText.Encode("receivedAt");
    private static readonly JsonEncodedText Record = JsonEncodedText.Encode("record");

    /// <exception cref="JsonException">The record's raw bytes are not one JSON value.</exception>
    public static void Write(
        Utf8JsonWriter writer, string tenantId, string source, DefenderRecord record, string idempotencyKey, DateTimeOffset receivedAt)
    {
        writer.WriteStartObject();
        writer.WriteString(TenantId, tenantId);
        writer.WriteString(Source, source);
        writer.WriteString(Id, record.Id);
        writer.WriteString(LastUpdateTime, record.LastUpdateTime);
        writer.WriteString(IdempotencyKeyName, idempotencyKey);
        writer.WriteString(ReceivedAt, receivedAt);
        writer.WritePropertyName(Record);
        // Validation is a forward scan, not a parse; a malformed record fails its batch instead of breaking the output.
        writer.WriteRawValue(SingleLine(record.Raw.Span));
        writer.WriteEndObject();
    }

    /// <summary>
    /// A pretty-printed record would break one-record-per-line formats. JSON strings cannot hold a raw CR or LF, so
    /// those bytes are always whitespace between tokens and dropping them changes nothing the record says.
    /// </summary>
    public static ReadOnlySpan<byte> SingleLine(ReadOnlySpan<byte> json)
    {
        if (json.IndexOfAny((byte)'\r', (byte)'\n') < 0)
        {
            return json;
        }

        var copy = new byte[json.Length];
        var length = 0;
        foreach (var b in json)
        {
            if (b is not ((byte)'\r' or (byte)'\n'))
            {
                copy[length++] = b;
            }
        }

        return copy.AsSpan(0, length);
    }
}
