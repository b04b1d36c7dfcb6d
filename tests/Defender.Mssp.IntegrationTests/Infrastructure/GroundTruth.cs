using Defender.Mssp.Records;
using Defender.Mssp.Sinks;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>
/// What the sink holds for one tenant and source, compared with the simulator's ground truth: the latest visible
/// version of every record must be there; nothing the API never served may be; duplicates are counted.
/// </summary>
public sealed record GroundTruth(
    string Name,
    int Expected,
    IReadOnlyList<(string Id, DateTimeOffset LastUpdateTime)> Missing,
    IReadOnlyList<RecordEnvelope> Invented,
    IReadOnlyList<IGrouping<(string, long), RecordEnvelope>> Duplicates,
    int Delivered)
{
    public bool Complete => Missing.Count == 0;

    public static async Task<GroundTruth> CompareAsync(SimulatorAdminClient admin, string sinkFolder, Guid tenantId, string source)
    {
        var truth = await admin.GetTruthAsync(tenantId, source).ConfigureAwait(false);
        // A line being written right now, or torn by a SIGKILL, is not (yet) a delivery: it was never acknowledged.
        var sink = JsonLinesSinkReader.ReadFile(
            Path.Combine(sinkFolder, tenantId.ToString(), source + ".jsonl"), skipTornLines: true);
        var served = truth.Select(t => (t.Id, t.LastUpdateTime.UtcTicks)).ToHashSet();
        var delivered = sink.Select(e => (e.Id, e.LastUpdateTime.UtcTicks)).ToHashSet();
        var latest = truth.Where(t => t.Visible)
            .GroupBy(t => t.Id)
            .Select(g => g.MaxBy(t => t.LastUpdateTime)!)
            .ToList();
        return new GroundTruth(
            $"{tenantId}/{source}",
            latest.Count,
            latest.Where(t => !delivered.Contains((t.Id, t.LastUpdateTime.UtcTicks))).Select(t => (t.Id, t.LastUpdateTime)).ToList(),
            sink.Where(e => !served.Contains((e.Id, e.LastUpdateTime.UtcTicks))).ToList(),
            sink.GroupBy(e => (e.Id, e.LastUpdateTime.UtcTicks)).Where(g => g.Count() > 1).ToList(),
            sink.Count);
    }

    public override string ToString() =>
        $"{Name}: expected {Expected}, delivered {Delivered}, missing {Missing.Count}, invented {Invented.Count}, duplicated {Duplicates.Count}"
        + (Missing.Count > 0 ? $" (first missing {Missing[0].Id}@{Missing[0].LastUpdateTime:O})" : "");
}
