using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>The simulator's call logs of many tenants, read together: who polls whom, and whether two ever did at once.</summary>
public static class Timelines
{
    public static async Task<IReadOnlyDictionary<Guid, CallTimeline>> ReadAsync(SimulatorAdminClient admin, IEnumerable<Guid> tenantIds) =>
        (await Task.WhenAll(tenantIds.Select(id => CallTimeline.ReadAsync(admin, id))).ConfigureAwait(false))
            .ToDictionary(timeline => timeline.TenantId);

    /// <summary>Waits until every tenant has had both default sources answered 200 at least once.</summary>
    public static Task WaitUntilAllPolledAsync(SimulatorAdminClient admin, IReadOnlyCollection<Guid> tenantIds, TimeSpan patience, Func<string> describe) =>
        Eventually.HoldsAsync(
            async () => (await Task.WhenAll(tenantIds.Select(id => admin.GetStatsAsync(id))).ConfigureAwait(false))
                .All(s => s.Calls(DefenderSources.Incidents, 200) > 0 && s.Calls(DefenderSources.Siem, 200) > 0),
            patience, () => Task.FromResult(describe()));

    /// <summary>
    /// Waits until the latest call of every tenant comes from one of <paramref name="silos"/> and each of them is the
    /// latest caller of at least <paramref name="min"/> tenants: the silos poll what they own.
    /// </summary>
    public static async Task WaitUntilOwnersPollAsync(
        SimulatorAdminClient admin, IReadOnlyCollection<Guid> tenantIds, IReadOnlyCollection<string> silos, int min, TimeSpan patience)
    {
        IReadOnlyDictionary<string, int> counts = new Dictionary<string, int>();
        await Eventually.HoldsAsync(
            async () =>
            {
                var timelines = await ReadAsync(admin, tenantIds).ConfigureAwait(false);
                counts = timelines.Values.GroupBy(t => t.Calls.LastOrDefault()?.SiloId ?? "none").ToDictionary(g => g.Key, g => g.Count());
                return counts.Keys.All(silos.Contains) && silos.All(silo => counts.GetValueOrDefault(silo) >= min);
            },
            patience, () => Task.FromResult("latest callers: " + string.Join(", ", counts.Select(p => $"{p.Key}: {p.Value}")))).ConfigureAwait(false);
    }

    /// <summary>The silo that last called each tenant at or before <paramref name="at"/>.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string?>> OwnersAtAsync(SimulatorAdminClient admin, IEnumerable<Guid> tenantIds, DateTimeOffset at) =>
        (await ReadAsync(admin, tenantIds).ConfigureAwait(false)).ToDictionary(pair => pair.Key, pair => pair.Value.OwnerAt(at));

    /// <summary>
    /// Every call carries a silo id, and no silo called a tenant while another was polling it on its schedule
    /// (calls closer than <paramref name="maxPollGap"/>).
    /// </summary>
    public static async Task AssertOneOwnerAtATimeAsync(SimulatorAdminClient admin, IEnumerable<Guid> tenantIds, TimeSpan maxPollGap)
    {
        var timelines = (await ReadAsync(admin, tenantIds).ConfigureAwait(false)).Values;
        Assert.All(timelines, t => Assert.All(t.Calls, c => Assert.False(string.IsNullOrEmpty(c.SiloId), "a call without X-Mssp-Silo-Id")));
        var findings = timelines.SelectMany(t => t.ConcurrentPolling(maxPollGap)).ToList();
        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }
}
