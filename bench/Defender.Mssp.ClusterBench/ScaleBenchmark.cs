using System.Diagnostics;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// N idle tenants (each with the incidents and SIEM sources) on one silo: after every tenant has been polled once
/// and the history delivered, a steady-state window counts API calls, schedule lag (from the simulator's call log),
/// the silo's CPU and resident memory, token requests and Azurite requests. Then the sequential baseline poller goes
/// through the same tenants. The silo runs without poll jitter, so each turn is due exactly one interval after the
/// previous one ended and the lag can be read off the call log.
/// </summary>
internal sealed class ScaleBenchmark(BenchEnvironment environment, BenchOptions options, TextWriter log)
{
    private static readonly string[] Sources = ["incidents", "siem"];

    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal) { ["Polling:Jitter"] = "0" };

    public static Func<Guid, string, string, TenantSpec> TenantSpecFor(BenchOptions options)
    {
        var stop = DateTimeOffset.UtcNow;
        return (id, clientId, secret) => TenantSpec.Create(id, clientId, secret, new GeneratorSpec
        {
            // Ten minutes of history for the first poll, then nothing new: every later poll is an idle tenant's poll.
            History = TimeSpan.FromMinutes(10),
            StopTime = stop,
            IncidentsPerMinute = 1,
            SiemAlertsPerMinute = 1,
            // Visible at once, so nothing trickles in after the first polls.
            VisibilityDelay = TimeSpan.Zero,
            VisibilityJitter = TimeSpan.Zero,
        }) with
        {
            Faults = SimulatedLatency.Faults(options.Latency),
            TokenLifetime = options.TokenLifetime,
        };
    }

    public async Task<ScaleResult> RunAsync()
    {
        var n = environment.TenantIds.Count;
        var (idleRss, idleRuntime) = await EmptySiloAsync();
        log.WriteLine($"a silo with no tenants: {idleRss} kB resident");

        var silo = SiloInstance.Start("silo-1", environment.ContentRootFor("silo-1", options, environment.TenantIds, _settings));
        var startedAt = DateTimeOffset.UtcNow;
        try
        {
            var started = Stopwatch.StartNew();
            var polledOnce = 0;
            var checkEvery = TimeSpan.FromSeconds(n > 2000 ? 5 : 2);
            while (true)
            {
                polledOnce = (await environment.Admin.GetAllStatsAsync()).Tenants.Count(t => Sources.All(s => t.Calls(s, 200) > 0));
                if (polledOnce >= n || started.Elapsed > options.PhaseTimeout || silo.HasExited)
                {
                    break;
                }

                await Task.Delay(checkEvery);
            }

            if (silo.HasExited)
            {
                throw new InvalidOperationException($"The silo exited:\n{silo.Tail}");
            }

            // A silo that cannot poll every tenant once within the phase timeout is measured all the same: that is a figure too.
            var allPolled = polledOnce >= n ? started.Elapsed : TimeSpan.MaxValue;
            log.WriteLine(polledOnce >= n
                ? $"every tenant polled once after {allPolled.TotalSeconds:F1} s"
                : $"only {polledOnce} of {n} tenants polled on both sources after {started.Elapsed.TotalSeconds:F0} s; measuring anyway");
            // One more turn each, so the history is delivered and the window sees idle tenants only.
            await Task.Delay(options.PollInterval / 2);

            var stats0 = await environment.Admin.GetAllStatsAsync();
            var storage0 = environment.AzuriteRequests.Snapshot();
            var sink = new SinkLineCounter(environment.SinkFolder);
            var records0 = sink.Count();
            var silo0 = ProcessStats.Read(silo.ProcessId);
            var bench0 = Process.GetCurrentProcess().TotalProcessorTime;
            var azurite = AzuriteProcess.Find();
            var azurite0 = azurite is { } a0 ? ProcessStats.Read(a0).CpuTime : TimeSpan.Zero;
            var from = DateTimeOffset.UtcNow;
            var window = Stopwatch.StartNew();
            var rss = new List<long>();
            var counters = RuntimeCounters.CollectAsync(options.Counters, silo.ProcessId, options.Measure - TimeSpan.FromSeconds(5), log);
            while (window.Elapsed < options.Measure)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                rss.Add(ProcessStats.Read(silo.ProcessId).RssKb);
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"The silo exited:\n{silo.Tail}");
                }
            }

            var silo1 = ProcessStats.Read(silo.ProcessId);
            var bench1 = Process.GetCurrentProcess().TotalProcessorTime;
            var azurite1 = azurite is { } a1 ? ProcessStats.Read(a1).CpuTime : TimeSpan.Zero;
            var storage1 = environment.AzuriteRequests.Snapshot();
            var records1 = sink.Count();
            var stats1 = await environment.Admin.GetAllStatsAsync();
            var elapsed = window.Elapsed;
            var to = DateTimeOffset.UtcNow;
            var sinceStart = to - startedAt;
            log.WriteLine($"window of {elapsed.TotalSeconds:F0} s measured; reading {n} call logs");

            var runtime = await counters;
            var lags = await LagsAsync(from, to);
            var calls = ApiCalls(stats1) - ApiCalls(stats0);
            var tokens = stats1.Tenants.Select(t => t.TokenRequests.Succeeded + t.TokenRequests.Failed).ToList();
            await silo.StopOrKillAsync(TimeSpan.FromSeconds(30));

            log.WriteLine("baseline poller: one tenant after another, a fresh token per request, sequential requests");
            var baseline = await new BaselinePoller(environment, options).RunAsync(
                options.BaselineTenants is > 0 and var b && b < n ? environment.TenantIds.Take(b).ToList() : environment.TenantIds);

            return new ScaleResult
            {
                Tenants = n,
                Sources = Sources.Length,
                PollInterval = options.PollInterval.TotalSeconds,
                LatencyMs = options.Latency.TotalMilliseconds,
                TokenLifetime = (options.TokenLifetime ?? TimeSpan.FromSeconds(3599)).TotalSeconds,
                AllPolledOnceSeconds = allPolled == TimeSpan.MaxValue ? double.NaN : allPolled.TotalSeconds,
                TenantsPolledBeforeWindow = polledOnce,
                WindowSeconds = elapsed.TotalSeconds,
                ApiCalls = calls,
                ScheduledCallsPerSecond = n * Sources.Length / options.PollInterval.TotalSeconds,
                Lag = LagFigures.Of(lags),
                SiloCpuSeconds = (silo1.CpuTime - silo0.CpuTime).TotalSeconds,
                BenchCpuSeconds = (bench1 - bench0).TotalSeconds,
                AzuriteCpuSeconds = (azurite1 - azurite0).TotalSeconds,
                SiloRssKb = rss.Count > 0 ? rss[^1] : silo1.RssKb,
                SiloPeakRssKb = silo1.PeakRssKb,
                EmptySiloRssKb = idleRss,
                Runtime = runtime,
                EmptySiloRuntime = idleRuntime,
                SecondsSinceSiloStart = sinceStart.TotalSeconds,
                TokenRequestsPerTenantMean = tokens.Count > 0 ? tokens.Average() : 0,
                TokenRequestsPerTenantMax = tokens.Count > 0 ? tokens.Max() : 0,
                StorageRequests = AzuriteRequestCounter.Delta(storage0, storage1),
                RecordsDeliveredInWindow = records1 - records0,
                Baseline = baseline,
            };
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    private static long ApiCalls(SimulatorStats stats) =>
        stats.Tenants.Sum(t => Sources.Sum(s => t.Calls(s)));

    /// <summary>
    /// Resident memory of a silo holding no tenants after a while (20 s by default), in a container of its own: what N tenants add is
    /// measured against it.
    /// </summary>
    private async Task<(long RssKb, RuntimeCounters? Runtime)> EmptySiloAsync()
    {
        var empty = SiloInstance.Start("silo-empty", environment.ContentRootFor("silo-empty", options, [], _settings, container: "bench-empty"));
        try
        {
            await Task.Delay(options.EmptySiloWait);
            if (empty.HasExited)
            {
                log.WriteLine($"the empty silo exited:\n{empty.Tail}");
                return (0, null);
            }

            var runtime = await RuntimeCounters.CollectAsync(options.Counters, empty.ProcessId, TimeSpan.FromSeconds(11), log);
            return (ProcessStats.Read(empty.ProcessId).RssKb, runtime);
        }
        finally
        {
            await empty.StopOrKillAsync(TimeSpan.FromSeconds(30));
            await empty.DisposeAsync();
        }
    }

    /// <summary>
    /// Schedule lag of each turn that started in [from, to): its first API call (served time minus the simulated
    /// latency) minus the previous turn's last call minus the poll interval. It includes whatever the silo did between
    /// the previous turn's last response and its timer (parsing, sink, state), which for idle tenants is little.
    /// </summary>
    private async Task<List<double>> LagsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var lags = new System.Collections.Concurrent.ConcurrentBag<double>();
        var interval = options.PollInterval;
        await Parallel.ForEachAsync(environment.TenantIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            var calls = (await environment.Admin.GetCallsAsync(id, ct)).Calls
                .Where(c => c.Status == 200 && Sources.Contains(c.Source)).OrderBy(c => c.Time).ToList();
            var turns = new List<(DateTimeOffset First, DateTimeOffset Last)>();
            foreach (var call in calls)
            {
                if (turns.Count > 0 && call.Time - turns[^1].Last < interval / 2)
                {
                    turns[^1] = (turns[^1].First, call.Time);
                }
                else
                {
                    turns.Add((call.Time, call.Time));
                }
            }

            for (var i = 1; i < turns.Count; i++)
            {
                if (turns[i].First >= from && turns[i].First < to)
                {
                    lags.Add((turns[i].First - options.Latency - turns[i - 1].Last - interval).TotalSeconds);
                }
            }
        });
        return [.. lags.Order()];
    }
}
