using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>
/// One tenant's API calls as the simulator logged them, with the silo each came from (<c>X-Mssp-Silo-Id</c>): the
/// independent record of who polled the tenant when.
/// </summary>
public sealed class CallTimeline(Guid tenantId, IReadOnlyList<SimulatorCall> calls)
{
    public Guid TenantId { get; } = tenantId;

    /// <summary>The calls in time order.</summary>
    public IReadOnlyList<SimulatorCall> Calls { get; } = calls.OrderBy(c => c.Time).ToList();

    public static async Task<CallTimeline> ReadAsync(SimulatorAdminClient admin, Guid tenantId) =>
        new(tenantId, (await admin.GetCallsAsync(tenantId).ConfigureAwait(false)).Calls);

    /// <summary>The silo of the last call at or before <paramref name="at"/>.</summary>
    public string? OwnerAt(DateTimeOffset at) => Calls.LastOrDefault(c => c.Time <= at)?.SiloId;

    /// <summary>The first call after <paramref name="after"/> by a silo other than <paramref name="siloId"/>.</summary>
    public SimulatorCall? FirstCallByAnotherSilo(string siloId, DateTimeOffset after) =>
        Calls.FirstOrDefault(c => c.Time > after && c.SiloId != siloId);

    /// <summary>
    /// Moments two silos polled the tenant at once: a call of one silo between two calls of another that are closer
    /// than <paramref name="maxPollGap"/> (so the other was still polling on its schedule). A hand-over shows up as one
    /// silo's calls ending and the next one's beginning, never as interleaving.
    /// </summary>
    public IReadOnlyList<string> ConcurrentPolling(TimeSpan maxPollGap)
    {
        var findings = new List<string>();
        foreach (var silo in Calls.Select(c => c.SiloId).Distinct())
        {
            var own = Calls.Where(c => c.SiloId == silo).ToList();
            for (var i = 1; i < own.Count; i++)
            {
                if (own[i].Time - own[i - 1].Time >= maxPollGap)
                {
                    continue;
                }

                var intruder = Calls.FirstOrDefault(c => c.SiloId != silo && c.Time > own[i - 1].Time && c.Time < own[i].Time);
                if (intruder is not null)
                {
                    findings.Add($"tenant {TenantId}: {intruder.SiloId} called at {intruder.Time:O} while {silo} polled at {own[i - 1].Time:O} and {own[i].Time:O}");
                }
            }
        }

        return findings;
    }
}
