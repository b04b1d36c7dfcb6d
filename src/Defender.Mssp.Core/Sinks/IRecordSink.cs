using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Where records are delivered. <see cref="DeliverAsync"/> returns only once the batch is durable at the destination:
/// that return is the acknowledgement the grain waits for before its checkpoint may pass these records.
/// </summary>
public interface IRecordSink
{
    Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken);
}
