using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Finds, for each of a set of tenants, the first API call that matches a condition (a survivor's poll after a kill,
/// a newcomer's poll after it joined), asked again and again while waiting. With thousands of tenants, reading every
/// call log each time would take longer than the interval between checks: the simulator's counters (one request)
/// say whose calls changed since the last look, and only those call logs are read.
/// </summary>
internal sealed class NewCalls(BenchEnvironment environment)
{
    private readonly Dictionary<Guid, long> _seen = [];

    /// <summary>The first matching call of every tenant that has one so far.</summary>
    public Dictionary<Guid, SimulatorCall> Found { get; } = [];

    /// <summary>How many of <paramref name="tenants"/> have made a call that matches <paramref name="condition"/> by now.</summary>
    public async Task<int> CountAsync(IEnumerable<Guid> tenants, Func<SimulatorCall, bool> condition)
    {
        var counts = (await environment.Admin.GetAllStatsAsync()).Tenants
            .ToDictionary(t => t.TenantId, t => t.ApiCalls.Values.Sum(byStatus => byStatus.Values.Sum()));
        var changed = tenants
            .Where(id => !Found.ContainsKey(id) && counts.GetValueOrDefault(id) != _seen.GetValueOrDefault(id, -1))
            .ToList();
        var gate = new Lock();
        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            var calls = (await environment.Admin.GetCallsAsync(id, ct)).Calls;
            var first = calls.Where(condition).OrderBy(c => c.Time).FirstOrDefault();
            lock (gate)
            {
                // The count read before the log: a call made in between is looked at again next time.
                _seen[id] = counts.GetValueOrDefault(id);
                if (first is not null)
                {
                    Found[id] = first;
                }
            }
        });
        return tenants.Count(Found.ContainsKey);
    }
}
