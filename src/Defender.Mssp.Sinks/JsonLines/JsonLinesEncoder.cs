using System.Buffers;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>Encodes a batch as JSON lines, one <see cref="RecordEnvelope"/> per line (see <see cref="EnvelopeJson"/>).</summary>
internal static class JsonLinesEncoder
{
    /// <exception cref="JsonException">A record's raw bytes are not one JSON value; nothing of the batch is written.</exception>
    public static ReadOnlyMemory<byte> Encode(
        string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Sum(record => record.Raw.Length + 320));
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            EnvelopeJson.Write(writer, tenantId, source, record, IdempotencyKey.Compute(tenantId, source, record.Key), receivedAt);
            writer.Flush();
            buffer.Write("\n"u8);
            writer.Reset();
        }

        return buffer.WrittenMemory;
    }
}
