using System.Diagnostics;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// The scenario: S silos share N tenants; one is killed with SIGKILL and the time until every orphaned tenant is
/// owned and polled again by a survivor is measured; then a new silo joins and the time until it owns, and has
/// polled, its share is measured. Who polled what when comes from the simulator's call log; who owns how many from
/// the silos' heartbeats.
/// </summary>
internal sealed class FailoverBenchmark(BenchEnvironment environment, BenchOptions options, TextWriter log)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    private readonly ClusterOptions _cluster = EffectiveClusterOptions(options);
    private readonly List<SiloInstance> _silos = [];

    public async Task<BenchResult> RunAsync()
    {
        var n = environment.TenantIds.Count;
        var membership = new MembershipTable(environment.Container, _cluster.SiloPrefix, _cluster.SiloStaleAfter);
        var fairShare = FairShare(n, options.Silos);
        try
        {
            // 1. S silos start together and converge.
            var started = Stopwatch.StartNew();
            for (var i = 1; i <= options.Silos; i++)
            {
                Start($"silo-{i}");
            }

            await WaitAsync("every tenant owned within the fair share and polled", async () =>
                await OwnedAsync(membership, except: null) is var owned
                && owned.Values.Sum() == n && owned.Count == options.Silos && owned.Values.All(c => c <= fairShare)
                && await AllPolledAsync());
            var converged = started.Elapsed;
            log.WriteLine($"converged: {converged.TotalSeconds:F1} s ({Describe(await OwnedAsync(membership, null))})");

            // 2. SIGKILL one silo, once the tenants it last polled are the ones it owns: a tenant handed over while the
            // silos converged was last polled by its former owner until its new owner's first poll.
            var victim = _silos[^1];
            var timelines = new Dictionary<Guid, List<SimulatorCall>>();
            await WaitAsync($"the tenants {victim.Name} last polled are as many as it owns", async () =>
            {
                timelines = await CallLogsAsync(environment.TenantIds);
                return timelines.Values.Count(calls => calls.LastOrDefault()?.SiloId == victim.Name)
                    == (await OwnedAsync(membership, except: null)).GetValueOrDefault(victim.Name);
            });
            log.WriteLine($"{victim.Name}'s tenants settled {(started.Elapsed - converged).TotalSeconds:F1} s after convergence");
            await victim.KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var killed = Stopwatch.StartNew();
            var orphans = timelines.Where(t => t.Value.LastOrDefault()?.SiloId == victim.Name).Select(t => t.Key).ToList();
            log.WriteLine($"killed {victim.Name}, which last polled {orphans.Count} tenants");

            var claimed = await WaitForAsync("the survivors own every tenant", killed, async () =>
                (await OwnedAsync(membership, except: victim.Name)).Values.Sum() == n);
            var repolled = await WaitForRepollAsync(orphans, victim.Name, killedAt);
            log.WriteLine($"orphans owned again after {claimed.TotalSeconds:F1} s; last polled again after {repolled.Max().TotalSeconds:F1} s");

            // 3. A new silo joins the survivors.
            var newcomer = Start("silo-new");
            var joinedAt = DateTimeOffset.UtcNow;
            var joined = Stopwatch.StartNew();
            var share = n - (options.Silos - 1) * fairShare;   // the least a silo holds once every silo is at most at the fair share
            var owns = await WaitForAsync($"{newcomer.Name} owns {share}", joined, async () =>
                (await OwnedAsync(membership, except: null)).GetValueOrDefault(newcomer.Name) >= share);
            var polledByNewcomer = new NewCalls(environment);
            var polls = await WaitForAsync($"{newcomer.Name} has polled {share} tenants", joined, async () =>
                await polledByNewcomer.CountAsync(environment.TenantIds, c => c.SiloId == newcomer.Name && c.Time > joinedAt) >= share);
            log.WriteLine($"{newcomer.Name} owned {share} after {owns.TotalSeconds:F1} s and had polled them after {polls.TotalSeconds:F1} s");

            return new BenchResult(
                n, options.Silos, fairShare, share, converged, orphans.Count, claimed, repolled, owns, polls, _cluster, options.PollInterval);
        }
        finally
        {
            await Task.WhenAll(_silos.Select(async silo =>
            {
                try
                {
                    await silo.StopAsync(TimeSpan.FromSeconds(60));
                }
                catch (Exception e)
                {
                    log.WriteLine($"{silo.Name} did not stop cleanly: {e.Message}");
                }

                await silo.DisposeAsync();
            }));
        }
    }

    private static int FairShare(int tenants, int silos) => (tenants + silos - 1) / silos;

    private static ClusterOptions EffectiveClusterOptions(BenchOptions options)
    {
        var cluster = new ClusterOptions();
        foreach (var (key, value) in options.Cluster)
        {
            var property = typeof(ClusterOptions).GetProperty(key)
                ?? throw new ArgumentException($"Unknown cluster setting '{key}'.");
            property.SetValue(cluster, property.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(value)
                : property.PropertyType == typeof(int) ? int.Parse(value) : value);
        }

        return cluster;
    }

    private static string Describe(IReadOnlyDictionary<string, int> owned) =>
        string.Join(", ", owned.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));

    private SiloInstance Start(string name)
    {
        var silo = SiloInstance.Start(name, environment.ContentRootFor(name, options));
        _silos.Add(silo);
        return silo;
    }

    /// <summary>What the heartbeats say each live silo owns; nothing when Azurite is too busy to answer in time.</summary>
    internal static async Task<IReadOnlyDictionary<string, int>> OwnedAsync(MembershipTable membership, string? except)
    {
        try
        {
            return (await membership.ReadAllAsync(CancellationToken.None))
                .Where(e => e.IsLive && e.Heartbeat.SiloId != except)
                .ToDictionary(e => e.Heartbeat.SiloId, e => e.Heartbeat.OwnedTenants);
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or AggregateException or TaskCanceledException)
        {
            // A saturated Azurite (thousands of lease requests a second) can time the bench's own read out; ask again.
            return new Dictionary<string, int>();
        }
    }

    private async Task<bool> AllPolledAsync()
    {
        var stats = await environment.Admin.GetAllStatsAsync();
        return stats.Tenants.Count(t => t.ApiCalls.Values.Sum(byStatus => byStatus.Values.Sum()) > 0) >= environment.TenantIds.Count;
    }

    private async Task<Dictionary<Guid, List<SimulatorCall>>> CallLogsAsync(IEnumerable<Guid> tenants)
    {
        var logs = new System.Collections.Concurrent.ConcurrentDictionary<Guid, List<SimulatorCall>>();
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            logs[id] = (await environment.Admin.GetCallsAsync(id, ct)).Calls.OrderBy(c => c.Time).ToList());
        return new Dictionary<Guid, List<SimulatorCall>>(logs);
    }

    /// <summary>For each orphan, how long after the kill a survivor first called its API.</summary>
    private async Task<IReadOnlyList<TimeSpan>> WaitForRepollAsync(IReadOnlyList<Guid> orphans, string victim, DateTimeOffset killedAt)
    {
        var repolled = new NewCalls(environment);
        await WaitAsync("every orphan polled again", async () =>
            await repolled.CountAsync(orphans, c => c.Time > killedAt && c.SiloId != victim) == orphans.Count);
        return repolled.Found.Values.Select(call => call.Time - killedAt).Order().ToList();
    }

    private async Task<TimeSpan> WaitForAsync(string what, Stopwatch since, Func<Task<bool>> condition)
    {
        await WaitAsync(what, condition);
        return since.Elapsed;
    }

    private async Task WaitAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > options.PhaseTimeout)
            {
                throw new TimeoutException($"Not reached within {options.PhaseTimeout}: {what}.\n"
                    + string.Join('\n', _silos.Select(s => $"--- {s.Name}\n{s.Tail}")));
            }

            await Task.Delay(CheckEvery);
        }
    }
}
