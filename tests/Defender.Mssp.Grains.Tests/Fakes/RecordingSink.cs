using Defender.Mssp.Records;
using Defender.Mssp.Sinks;

namespace Defender.Mssp.Grains.Tests.Fakes;

/// <summary>A sink that remembers what it acknowledged and lets a test refuse, block or inspect each delivery.</summary>
internal sealed class RecordingSink : IRecordSink
{
    private readonly Lock _gate = new();
    private int _attempts;

    /// <summary>Acknowledged batches, in order.</summary>
    public List<Batch> Delivered { get; } = [];

    /// <summary>Every batch offered, acknowledged or not.</summary>
    public List<Batch> Attempted { get; } = [];

    /// <summary>Runs before a delivery is acknowledged, with the 0-based attempt number; throwing refuses the batch.</summary>
    public Func<int, Batch, CancellationToken, Task>? BeforeAcknowledge { get; set; }

    public async Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        var batch = new Batch(tenantId, source, records.ToArray());
        int attempt;
        lock (_gate)
        {
            attempt = _attempts++;
            Attempted.Add(batch);
        }

        if (BeforeAcknowledge is { } hook)
        {
            await hook(attempt, batch, cancellationToken);
        }

        lock (_gate)
        {
            Delivered.Add(batch);
        }
    }

    public List<RecordKey> DeliveredKeys(string? source = null)
    {
        lock (_gate)
        {
            return Delivered.Where(batch => source is null || batch.Source == source)
                .SelectMany(batch => batch.Records.Select(record => record.Key)).ToList();
        }
    }

    public sealed record Batch(string TenantId, string Source, DefenderRecord[] Records)
    {
        public List<RecordKey> Keys => Records.Select(record => record.Key).ToList();
    }
}
