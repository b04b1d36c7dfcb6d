using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>Encodes a batch as JSON lines, one <see cref="RecordEnvelope"/> per line (see <see cref="EnvelopeJson"/>).</summary>
internal static class JsonLinesEncoder
{
    /// <summary>The batch's lines in a pooled buffer the caller disposes once they are written.</summary>
    /// <exception cref="JsonException">A record's raw bytes are not one JSON value; nothing of the batch is written.</exception>
    public static PooledBufferWriter Encode(
        string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var buffer = new PooledBufferWriter(records.Sum(record => record.Raw.Length + 320));
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            foreach (var record in records)
            {
                EnvelopeJson.Write(writer, tenantId, source, record, IdempotencyKey.Compute(tenantId, source, record.Key), receivedAt);
                writer.Flush();
                "\n"u8.CopyTo(buffer.GetSpan(1));
                buffer.Advance(1);
                writer.Reset();
            }

            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
