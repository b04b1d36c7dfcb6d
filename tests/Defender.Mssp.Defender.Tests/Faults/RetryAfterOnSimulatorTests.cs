using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tests.Simulation;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Simulation;
using Microsoft.Extensions.DependencyInjection;
using VirtualClock = Defender.Mssp.Defender.Tests.Fakes.ManualTimeProvider;

namespace Defender.Mssp.Defender.Tests.Faults;

/// <summary>
/// A 429 says when to come back as <c>Retry-After</c> seconds, as an HTTP date, or only as "in N seconds" in its body;
/// the product waits exactly that long before its one retry. Product and simulator share a virtual clock that jumps
/// when the product waits, so the wait shows, to the tick, as the gap between the two calls the simulator logged.
/// </summary>
public sealed class RetryAfterOnSimulatorTests
{
    /// <summary>The simulator reads the product's virtual clock but never creates timers on it.</summary>
    private sealed class ClockView(TimeProvider clock) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();
    }

    [Theory]
    [InlineData(SimulatorRetryAfterFormat.Seconds)]
    [InlineData(SimulatorRetryAfterFormat.HttpDate)]
    [InlineData(SimulatorRetryAfterFormat.BodyOnly)]
    public async Task A_429_is_retried_exactly_when_the_service_said(SimulatorRetryAfterFormat format)
    {
        // A whole second: an HTTP date has no fraction, so the wait it names is exact only from one.
        var clock = new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var sim = await ProductOnSimulator.StartAsync(clock: new ClockView(clock));
        sim.UseProduct(services: services => services.AddSingleton<TimeProvider>(clock));
        var tenant = await sim.AddTenantAsync(new GeneratorSpec { IncidentsPerMinute = 1, SiemAlertsPerMinute = 0 });
        var tenantId = Guid.Parse(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenantId, new FaultSpec
        {
            Source = SimulatorFaultSource.Incidents, Status = 429, RetryAfterSeconds = 7, RetryAfterFormat = format, Remaining = 1,
        });
        var now = clock.GetUtcNow();

        var records = await sim.Get<IncidentsSource>()
            .ReadAsync(tenant, new RecordWindow(now.AddMinutes(-30), now), CancellationToken.None).ToListAsync();

        Assert.NotEmpty(records);
        var calls = (await sim.Admin.GetCallsAsync(tenantId)).Calls.Where(c => c.Source == DefenderSources.Incidents).ToList();
        Assert.Equal([429, 200], calls.Select(c => c.Status));
        Assert.Equal(TimeSpan.FromSeconds(7), calls[1].Time - calls[0].Time);
    }
}
