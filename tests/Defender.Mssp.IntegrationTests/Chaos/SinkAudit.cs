using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// The sink of many tenants held against the simulator's ground truth, tenant by tenant and source by source: what is
/// missing, what was never served, and the duplicates — each of which must repeat the idempotency key its first copy
/// carried (a re-delivery the SIEM drops), never a second key for the same record version.
/// </summary>
public sealed class SinkAudit(IReadOnlyList<GroundTruth> comparisons)
{
    public IReadOnlyList<GroundTruth> Comparisons { get; } = comparisons;

    /// <summary>Record versions the API served (latest visible version of each record) and the sink was checked for.</summary>
    public int RecordsChecked => Comparisons.Sum(c => c.Expected);

    public int LinesDelivered => Comparisons.Sum(c => c.Delivered);

    public int Missing => Comparisons.Sum(c => c.Missing.Count);

    public int Invented => Comparisons.Sum(c => c.Invented.Count);

    /// <summary>Sink lines beyond the first copy of their record version.</summary>
    public int DuplicateLines => Comparisons.Sum(c => c.Duplicates.Sum(d => d.Count() - 1));

    /// <summary>Record versions delivered more than once under more than one idempotency key: must be none.</summary>
    public IReadOnlyList<string> DuplicatesWithAnotherKey =>
        Comparisons.SelectMany(c => c.Duplicates
                .Where(d => d.Select(e => e.IdempotencyKey).Distinct(StringComparer.Ordinal).Count() > 1)
                .Select(d => $"{c.Name}: {d.Key.Item1} under keys {string.Join(", ", d.Select(e => e.IdempotencyKey).Distinct())}"))
            .ToList();

    public bool Complete => Missing == 0;

    public static async Task<SinkAudit> RunAsync(SimulatorAdminClient admin, string sinkFolder, IEnumerable<Guid> tenantIds) =>
        new(await Task.WhenAll(tenantIds.SelectMany(id => DefenderSources.Default.Select(
            source => GroundTruth.CompareAsync(admin, sinkFolder, id, source)))).ConfigureAwait(false));

    /// <summary>
    /// Freezes every tenant's world (the generators stop), then waits until the sink holds all the API served.
    /// </summary>
    public static async Task<SinkAudit> FreezeAndWaitForCompleteAsync(
        SimulatorAdminClient admin, string sinkFolder, IReadOnlyCollection<Guid> tenantIds, TimeSpan patience)
    {
        await Task.WhenAll(tenantIds.Select(id => admin.StopGeneratorAsync(id))).ConfigureAwait(false);
        SinkAudit audit = new([]);
        await Eventually.HoldsAsync(
            async () => (audit = await RunAsync(admin, sinkFolder, tenantIds).ConfigureAwait(false)).Complete,
            patience,
            () => Task.FromResult(audit.Describe())).ConfigureAwait(false);
        return audit;
    }

    public string Describe(int incomplete = 5) =>
        $"{RecordsChecked} record versions checked, {LinesDelivered} lines, {Missing} missing, {Invented} invented, {DuplicateLines} duplicate lines"
        + string.Concat(Comparisons.Where(c => !c.Complete).Take(incomplete).Select(c => "\n  " + c));
}
