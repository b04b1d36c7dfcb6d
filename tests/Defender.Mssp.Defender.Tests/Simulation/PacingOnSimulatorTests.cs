using System.Diagnostics.Metrics;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit.Simulation;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;
using VirtualClock = Defender.Mssp.Defender.Tests.Fakes.ManualTimeProvider;

namespace Defender.Mssp.Defender.Tests.Simulation;

/// <summary>
/// A tenant polled every second, far faster than the incidents API allows, against a simulator that enforces the
/// limits. Product and simulator share one virtual clock that jumps whenever the product waits (its poll interval,
/// its budget), so many simulated minutes pass in a second of real time while every request is real HTTPS.
/// </summary>
public sealed class PacingOnSimulatorTests
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The simulator reads the product's virtual clock but never creates timers on it.</summary>
    private sealed class ClockView(TimeProvider clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();
    }

    private sealed record Run(int Polls, IReadOnlyList<SimulatorCall> Calls, long Throttled, int BudgetWaits);

    /// <summary>Polls incidents every <see cref="PollInterval"/> for <paramref name="duration"/> of virtual time.</summary>
    private static async Task<Run> PollAsync(
        TimeSpan duration, IDictionary<string, string?> settings, ThrottlingSpec? simulatorLimits = null)
    {
        var clock = new VirtualClock(DateTimeOffset.UtcNow);
        await using var sim = await ProductOnSimulator.StartAsync(clock: new ClockView(clock));
        sim.UseProduct(settings, services: services => services.AddSingleton<TimeProvider>(clock));
        using var capture = new MetricCapture(sim.Get<IMeterFactory>());
        var tenant = await sim.AddTenantAsync(new GeneratorSpec { IncidentsPerMinute = 2, SiemAlertsPerMinute = 0 }, simulatorLimits);
        var incidents = sim.Get<IncidentsSource>();

        var start = clock.GetUtcNow();
        var polls = 0;
        while (clock.GetUtcNow() - start < duration)
        {
            var now = clock.GetUtcNow();
            await incidents.ReadAsync(tenant, new RecordWindow(now.AddMinutes(-5), now), CancellationToken.None).ToListAsync();
            polls++;
            await Task.Delay(PollInterval, clock);
        }

        var id = Guid.Parse(tenant.TenantId);
        var calls = (await sim.Admin.GetCallsAsync(id)).Calls.Where(c => c.Source == DefenderSources.Incidents).ToList();
        var throttled = (await sim.Admin.GetStatsAsync(id)).Calls(DefenderSources.Incidents, 429);
        return new Run(polls, calls, throttled, capture.Of("defender.api.budget_waits").Count);
    }

    private static int MostInOneClockWindow(IEnumerable<SimulatorCall> calls, TimeSpan window) =>
        calls.GroupBy(c => c.Time.UtcTicks / window.Ticks).Max(g => g.Count());

    [Theory]
    [InlineData(null, null, 5)]     // the documented 50 a minute and 1,500 an hour, on both sides by default
    [InlineData(10, 100, 10)]       // lowered on both sides: the hourly budget paces too
    public async Task Polling_every_second_provokes_no_429_because_the_product_paces_itself(int? perMinute, int? perHour, int minutes)
    {
        var settings = new Dictionary<string, string?>();
        ThrottlingSpec? simulatorLimits = null;
        if (perMinute is not null)
        {
            settings["Defender:Budgets:incidents:PerMinute"] = perMinute.ToString();
            settings["Defender:Budgets:incidents:PerHour"] = perHour.ToString();
            simulatorLimits = new ThrottlingSpec { IncidentsPerMinute = perMinute, IncidentsPerHour = perHour };
        }

        var minuteLimit = perMinute ?? 50;
        var run = await PollAsync(TimeSpan.FromMinutes(minutes), settings, simulatorLimits);

        Assert.Equal(0, run.Throttled);
        Assert.Equal(run.Polls, run.Calls.Count);
        Assert.All(run.Calls, call => Assert.Equal(200, call.Status));
        Assert.InRange(MostInOneClockWindow(run.Calls, TimeSpan.FromMinutes(1)), 1, minuteLimit);
        Assert.InRange(MostInOneClockWindow(run.Calls, TimeSpan.FromHours(1)), 1, perHour ?? 1_500);
        // Paced, not idle: fewer polls than the interval asked for, held back by the budget, yet steady progress.
        Assert.InRange(run.Polls, minutes, minutes * 60 - 1);
        Assert.True(run.BudgetWaits > 0);
        Assert.True(run.Calls.Count >= minutes * Math.Min(minuteLimit, (perHour ?? 1_500) / 60) / 2,
            $"only {run.Calls.Count} calls in {minutes} minutes");
    }

    [Fact]
    public async Task Without_pacing_the_same_polling_is_throttled_by_the_simulator()
    {
        var run = await PollAsync(TimeSpan.FromMinutes(2), new Dictionary<string, string?> { ["Defender:Budgets:Enabled"] = "false" });

        Assert.True(run.Throttled > 0, "the simulator never throttled an unpaced tenant: the pacing test proves nothing");
        Assert.Equal(0, run.BudgetWaits);
    }
}
