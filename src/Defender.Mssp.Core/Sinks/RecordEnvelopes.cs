using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>Builds the envelope every sink writes for a record version.</summary>
public static class RecordEnvelopes
{
    public static RecordEnvelope Create(string tenantId, string source, DefenderRecord record, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(record.Raw);
        return new RecordEnvelope(
            tenantId,
            source,
            record.Id,
            record.LastUpdateTime,
            IdempotencyKey.Compute(tenantId, source, record.Key),
            receivedAt,
            document.RootElement.Clone());
    }
}
