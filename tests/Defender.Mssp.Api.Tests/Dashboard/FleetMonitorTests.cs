using Azure;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.Logging.Abstractions;
using static Defender.Mssp.Api.Tests.Dashboard.Fleets;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class FleetMonitorTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedFleet _fleet;
    private readonly FleetMonitor _monitor;

    public FleetMonitorTests()
    {
        _fleet = new ScriptedFleet(_time);
        _monitor = new FleetMonitor(_fleet, History(), NullLogger<FleetMonitor>.Instance, _time);
    }

    [Fact]
    public async Task Callers_within_the_max_age_share_one_read_and_a_later_caller_reads_again()
    {
        var first = await _monitor.GetAsync(MaxAge, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _monitor.GetAsync(MaxAge, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var third = await _monitor.GetAsync(MaxAge, CancellationToken.None);

        Assert.Same(first.Snapshot, second.Snapshot);
        Assert.NotSame(first.Snapshot, third.Snapshot);
        Assert.Equal(2, _fleet.Reads);
    }

    [Fact]
    public async Task Callers_arriving_during_a_read_wait_for_it_instead_of_reading_again()
    {
        var gate = new TaskCompletionSource();
        _fleet.Gate = gate.Task;

        var callers = Enumerable.Range(0, 5).Select(_ => _monitor.GetAsync(MaxAge, CancellationToken.None)).ToList();
        gate.SetResult();
        var readings = await Task.WhenAll(callers);

        Assert.Equal(1, _fleet.Reads);
        Assert.All(readings, reading => Assert.Same(readings[0].Snapshot, reading.Snapshot));
    }

    [Fact]
    public async Task Every_snapshot_read_is_observed_by_the_history()
    {
        var history = History();
        var monitor = new FleetMonitor(_fleet, history, NullLogger<FleetMonitor>.Instance, _time);
        _fleet.Delivered = 10;
        await monitor.GetAsync(MaxAge, CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(5));
        _fleet.Delivered = 25;
        await monitor.GetAsync(MaxAge, CancellationToken.None);

        Assert.Equal(15, history.RecordsIn(_time.GetUtcNow()));
    }

    [Fact]
    public async Task When_storage_fails_the_last_snapshot_is_served_marked_stale()
    {
        var good = await _monitor.GetAsync(MaxAge, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        _fleet.Failure = new RequestFailedException(503, "Service unavailable");

        var reading = await _monitor.GetAsync(MaxAge, CancellationToken.None);

        Assert.True(reading.Stale);
        Assert.Same(good.Snapshot, reading.Snapshot);
    }

    [Fact]
    public async Task When_storage_fails_before_any_snapshot_the_failure_surfaces()
    {
        _fleet.Failure = new RequestFailedException(503, "Service unavailable");

        await Assert.ThrowsAsync<RequestFailedException>(() => _monitor.GetAsync(MaxAge, CancellationToken.None));
    }

    [Fact]
    public async Task A_failure_that_is_not_storage_surfaces_even_with_an_earlier_snapshot()
    {
        await _monitor.GetAsync(MaxAge, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        _fleet.Failure = new InvalidOperationException("a bug");

        await Assert.ThrowsAsync<InvalidOperationException>(() => _monitor.GetAsync(MaxAge, CancellationToken.None));
    }

    private sealed class ScriptedFleet(TimeProvider time) : IFleetSource
    {
        public int Reads { get; private set; }

        public Task Gate { get; set; } = Task.CompletedTask;

        public Exception? Failure { get; set; }

        public long Delivered { get; set; }

        public async Task<FleetSnapshot> ReadAsync(CancellationToken cancellationToken)
        {
            await Gate;
            Reads++;
            if (Failure is not null)
            {
                throw Failure;
            }

            return Snapshot(time.GetUtcNow(), Tenant(A, delivered: Delivered));
        }
    }
}
