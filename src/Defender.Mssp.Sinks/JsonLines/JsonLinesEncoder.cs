using System.Buffers;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Encodes a batch as JSON lines, one <see cref="RecordEnvelope"/> per line, with each record's JSON copied verbatim
/// rather than parsed and re-serialised.
/// </summary>
internal static class JsonLinesEncoder
{
    private static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText LastUpdateTime = JsonEncodedText.Encode("lastUpdateTime");
    private static readonly JsonEncodedText IdempotencyKeyName = JsonEncodedText.Encode("idempotencyKey");
    private static readonly JsonEncodedText ReceivedAt = JsonEncodedText.Encode("receivedAt");
    private static readonly JsonEncodedText Record = JsonEncodedText.Encode("record");

    /// <exception cref="JsonException">A record's raw bytes are not one JSON value; nothing of the batch is written.</exception>
    public static ReadOnlyMemory<byte> Encode(
        string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Sum(record => record.Raw.Length + 320));
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            writer.WriteStartObject();
            writer.WriteString(TenantId, tenantId);
            writer.WriteString(Source, source);
            writer.WriteString(Id, record.Id);
            writer.WriteString(LastUpdateTime, record.LastUpdateTime);
            writer.WriteString(IdempotencyKeyName, IdempotencyKey.Compute(tenantId, source, record.Key));
            writer.WriteString(ReceivedAt, receivedAt);
            writer.WritePropertyName(Record);
            // Validation is a forward scan, not a parse; it keeps a malformed record from breaking the file.
            writer.WriteRawValue(SingleLine(record.Raw.Span));
            writer.WriteEndObject();
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>
    /// A pretty-printed record would break the one-record-per-line format. JSON strings cannot hold a raw CR or LF, so
    /// those bytes are always whitespace between tokens and dropping them changes nothing the record says.
    /// </summary>
    private static ReadOnlySpan<byte> SingleLine(ReadOnlySpan<byte> json)
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
