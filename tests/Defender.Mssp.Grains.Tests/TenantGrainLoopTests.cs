using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Grains.Tests;

/// <summary>
/// The poll loop under a manual clock: the test waits until the loop has armed its timer, reads when it is due,
/// checks that against the schedule's bounds and moves the clock there. Nothing sleeps.
/// </summary>
public sealed class TenantGrainLoopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private readonly GrainHarness _h = new();

    public TenantGrainLoopTests() => _h.Settings = _h.Settings with { PollInterval = Interval };

    [Fact]
    public async Task First_poll_comes_within_one_interval_and_later_ones_within_the_jitter()
    {
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);

        var first = await NextDueAsync();
        Assert.InRange(first, _h.Now, _h.Now + Interval);
        _h.Clock.SetUtcNow(first);
        await _h.Observer.NextAsync();

        for (var turn = 0; turn < 5; turn++)
        {
            var due = await NextDueAsync();
            Assert.InRange(due - _h.Now, Interval * 0.9, Interval * 1.1);
            _h.Clock.SetUtcNow(due);
            await _h.Observer.NextAsync();
        }

        Assert.Equal(6, _h.Incidents.Reads);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_poll_request_wakes_the_loop_at_once()
    {
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);
        await NextDueAsync();
        var requestedAt = _h.Now;

        grain.RequestPollNow();
        var result = await _h.Observer.NextAsync();

        Assert.Equal(requestedAt, result.StartedAt);
        Assert.Equal(1, _h.Incidents.Reads);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_paused_tenant_is_not_polled_until_resumed()
    {
        _h.Settings = _h.Settings with { Paused = true };
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);
        _h.Clock.SetUtcNow(await NextDueAsync());
        Assert.Equal(PollOutcome.Paused, (await _h.Observer.NextAsync()).Outcome);

        _h.Clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal(0, _h.Clock.PendingTimerCount);
        Assert.False(_h.Observer.TryTake(out _));
        Assert.Equal(0, _h.Incidents.Reads);

        grain.UpdateSettings(_h.Settings with { Paused = false });
        var resumed = await _h.Observer.NextAsync();

        Assert.Equal(PollOutcome.NothingNew, resumed.Outcome);
        Assert.Equal(1, _h.Incidents.Reads);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task When_every_source_backs_off_the_next_poll_waits_for_the_backoff()
    {
        _h.Options.Jitter = 0;
        _h.Options.InitialFailureBackoff = TimeSpan.FromMinutes(30);
        _h.Incidents.FailAlways = new TokenAcquisitionException(GrainHarness.TenantId, "Invalid client secret", "invalid_client", "AADSTS7000215");
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);
        _h.Clock.SetUtcNow(await NextDueAsync());
        Assert.Equal(PollOutcome.Failed, (await _h.Observer.NextAsync()).Outcome);

        var due = await NextDueAsync();

        Assert.Equal(_h.Now + TimeSpan.FromMinutes(30), due);
        Assert.Equal(due, _h.Saved!.NextPollNotBefore);
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task Lost_ownership_ends_the_loop_with_the_exception()
    {
        _h.Incidents.Publish("1", _h.Now - TimeSpan.FromMinutes(5));
        _h.Storage.FailWrite = _ => new LeaseLostException(GrainHarness.StateKey, "Lease lost");
        var grain = await _h.ActivateAsync();
        var loop = grain.RunAsync(CancellationToken.None);

        _h.Clock.SetUtcNow(await NextDueAsync());

        await Assert.ThrowsAsync<LeaseLostException>(() => loop.WaitAsync(Patience));
        Assert.Single(_h.Sink.Delivered);
    }

    [Fact]
    public async Task Deactivation_ends_the_loop_quietly()
    {
        var grain = await _h.ActivateAsync();
        var loop = grain.RunAsync(CancellationToken.None);
        await NextDueAsync();

        await grain.DeactivateAsync(CancellationToken.None);

        await loop.WaitAsync(Patience);
        Assert.Equal(0, _h.Clock.PendingTimerCount);
        Assert.Equal(0, _h.Incidents.Reads);
    }

    [Fact]
    public async Task A_new_poll_interval_applies_from_the_next_turn()
    {
        _h.Options.Jitter = 0;
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);
        _h.Clock.SetUtcNow(await NextDueAsync());
        await _h.Observer.NextAsync();
        Assert.Equal(_h.Now + Interval, await NextDueAsync());

        grain.UpdateSettings(_h.Settings with { PollInterval = TimeSpan.FromMinutes(2) });
        _h.Clock.SetUtcNow(await NextDueAsync());
        await _h.Observer.NextAsync();

        Assert.Equal(_h.Now + TimeSpan.FromMinutes(2), await NextDueAsync());
        await stop.CancelAsync();
        await loop.WaitAsync(Patience);
    }

    private async Task<DateTimeOffset> NextDueAsync()
    {
        await _h.Clock.WaitForPendingTimersAsync().WaitAsync(Patience);
        return _h.Clock.NextTimerDueAt!.Value;
    }
}
