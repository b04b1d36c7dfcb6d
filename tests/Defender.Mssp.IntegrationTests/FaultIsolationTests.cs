using System.Globalization;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// One silo, thirty tenants on a short interval. First every tenant is healthy and the test measures the healthy
/// tenants' poll schedule (the gaps between poll starts, from the simulator's call log); then a tenth of the tenants go
/// bad — one API stalls every request, one answers 429 with a long Retry-After, one answers 503 — and the same
/// measurement is taken again. The healthy tenants' schedule must not notice: a stuck or throttled tenant holds no
/// thread, lock or budget the others need.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FaultIsolationTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Tenants = 30;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(24);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Calls of one tenant closer than this belong to one poll (its pages and its two sources).</summary>
    private static readonly TimeSpan SamePoll = TimeSpan.FromMilliseconds(900);

    /// <summary>
    /// How much worse the healthy tenants' longest gap may get while others fail: a whole extra interval and more, so
    /// the noise of a shared two-core machine does not fail it, while a stalled tenant holding up the others (30 s per
    /// request) or a throttled one pacing them (60 s) would.
    /// </summary>
    private static readonly TimeSpan Tolerance = PollInterval * 2 + TimeSpan.FromSeconds(2);

    private static readonly GeneratorSpec Quiet = new()
    {
        History = TimeSpan.FromMinutes(2),
        IncidentsPerMinute = 2,
        SiemAlertsPerMinute = 2,
        VisibilityDelay = TimeSpan.FromSeconds(1),
    };

    private readonly SiloScope _scope = new("isolation", output);
    private SiloProcess _silo = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task Healthy_tenants_keep_their_schedule_while_a_tenth_of_the_tenants_stall_are_throttled_or_fail()
    {
        var tenants = Enumerable.Range(0, Tenants).Select(_ => TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret())).ToList();
        foreach (var tenant in tenants)
        {
            await tenant.RegisterAsync(simulator, Quiet);
        }

        var container = AzuriteFixture.UniqueContainerName("isolation");
        var environment = new SiloEnvironment(azurite, simulator, container, _scope.SinkFolder)
            .WithTenants(tenants, PollInterval, lookback: TimeSpan.FromMinutes(10));
        _silo = _scope.Start("silo-isolation", environment.With());
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(tenants.Select(t => simulator.Admin.GetStatsAsync(t.TenantId)))).All(s => s.Calls(DefenderSources.Incidents, 200) >= 3),
            Patience, () => Task.FromResult(_silo.Output));

        var stalled = tenants[0];
        var throttled = tenants[1];
        var failing = tenants[2];
        var healthy = tenants.Skip(3).ToList();

        var baselineStart = DateTimeOffset.UtcNow;
        await Task.Delay(Window);
        var baseline = await GapsAsync(healthy, baselineStart, DateTimeOffset.UtcNow);

        await simulator.Admin.AddFaultAsync(stalled.TenantId, new FaultSpec { Kind = SimulatorFaultKind.Stall, StallSeconds = 30 });
        await simulator.Admin.AddFaultAsync(throttled.TenantId, new FaultSpec { Status = 429, RetryAfterSeconds = 60 });
        await simulator.Admin.AddFaultAsync(failing.TenantId, new FaultSpec { Status = 503 });
        var faultedStart = DateTimeOffset.UtcNow + PollInterval;   // once every tenant has polled into its fault
        await Task.Delay(Window + PollInterval);
        var faulted = await GapsAsync(healthy, faultedStart, DateTimeOffset.UtcNow);

        output.WriteLine($"healthy tenants' gaps between polls (interval {PollInterval.TotalSeconds:F0} s, {healthy.Count} tenants):");
        output.WriteLine($"  all healthy:            {baseline}");
        output.WriteLine($"  with 3 of {Tenants} faulted:   {faulted}");

        // The faults did happen: each bad tenant met its fault and got no further with its API.
        Assert.True((await simulator.Admin.GetStatsAsync(throttled.TenantId)).Calls(DefenderSources.Incidents, 429) >= 1);
        Assert.True((await simulator.Admin.GetStatsAsync(failing.TenantId)).Calls(DefenderSources.Incidents, 503) >= 1);
        Assert.True(await PollsSinceAsync(stalled, faultedStart) <= 2, "the stalled tenant kept completing polls");

        Assert.True(faulted.Count >= baseline.Count / 2, $"healthy tenants polled far less often: {faulted} vs {baseline}");
        Assert.True(faulted.Max <= baseline.Max + Tolerance, $"healthy tenants fell behind: {faulted} vs {baseline}");
        Assert.True(faulted.P99Span <= baseline.P99Span + Tolerance, $"healthy tenants fell behind: {faulted} vs {baseline}");
    }

    private async Task<GapFigures> GapsAsync(IEnumerable<TestTenant> tenants, DateTimeOffset from, DateTimeOffset to)
    {
        var gaps = new List<double>();
        foreach (var tenant in tenants)
        {
            var starts = PollStarts(await simulator.Admin.GetCallsAsync(tenant.TenantId)).Where(t => t >= from && t <= to).ToList();
            gaps.AddRange(starts.Zip(starts.Skip(1), (a, b) => (b - a).TotalSeconds));
        }

        return GapFigures.Of(gaps);
    }

    private async Task<int> PollsSinceAsync(TestTenant tenant, DateTimeOffset from) =>
        PollStarts(await simulator.Admin.GetCallsAsync(tenant.TenantId)).Count(t => t >= from);

    /// <summary>The first incidents call of each poll; a poll's later pages follow within <see cref="SamePoll"/>.</summary>
    private static List<DateTimeOffset> PollStarts(SimulatorCallLog log)
    {
        var starts = new List<DateTimeOffset>();
        DateTimeOffset? previous = null;
        foreach (var call in log.Calls.Where(c => c.Source == DefenderSources.Incidents).OrderBy(c => c.Time))
        {
            if (previous is null || call.Time - previous.Value > SamePoll)
            {
                starts.Add(call.Time);
            }

            previous = call.Time;
        }

        return starts;
    }

    private sealed record GapFigures(int Count, double P50, double P99, double MaxSeconds)
    {
        public TimeSpan Max => TimeSpan.FromSeconds(MaxSeconds);

        public TimeSpan P99Span => TimeSpan.FromSeconds(P99);

        public static GapFigures Of(List<double> gaps)
        {
            Assert.NotEmpty(gaps);
            gaps.Sort();
            return new(gaps.Count, gaps[gaps.Count / 2], gaps[Math.Min(gaps.Count - 1, (int)(gaps.Count * 0.99))], gaps[^1]);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Count} gaps, p50 {P50:F2} s, p99 {P99:F2} s, max {MaxSeconds:F2} s");
    }
}
