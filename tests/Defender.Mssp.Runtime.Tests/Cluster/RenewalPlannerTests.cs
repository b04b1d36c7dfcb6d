using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

public sealed class RenewalPlannerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Due_leases_come_earliest_safety_deadline_first_whatever_their_order_in_the_table()
    {
        var now = _time.GetTimestamp();
        var candidates = new[]
        {
            Candidate("renewed-last-time", dueSecondsAgo: 1, remainingSeconds: 14),
            Candidate("nearly-lost", dueSecondsAgo: 9, remainingSeconds: 6),
            Candidate("middle", dueSecondsAgo: 4, remainingSeconds: 11),
        };

        var plan = RenewalPlanner.Plan(candidates, now, _time);

        Assert.Equal(["nearly-lost", "middle", "renewed-last-time"], plan.Due);
    }

    [Fact]
    public void Leases_not_yet_due_are_left_out_and_the_nearest_due_time_is_reported()
    {
        var now = _time.GetTimestamp();
        var candidates = new[]
        {
            Candidate("due", dueSecondsAgo: 0, remainingSeconds: 15),
            Candidate("due-in-3-s", dueSecondsAgo: -3, remainingSeconds: 22),
            Candidate("due-in-7-s", dueSecondsAgo: -7, remainingSeconds: 24),
        };

        var plan = RenewalPlanner.Plan(candidates, now, _time);

        Assert.Equal(["due"], plan.Due);
        Assert.Equal(TimeSpan.FromSeconds(3), plan.NextDueIn);
    }

    [Fact]
    public void Nothing_held_means_nothing_due_and_no_next_due_time()
    {
        var plan = RenewalPlanner.Plan(Array.Empty<RenewalCandidate<string>>(), _time.GetTimestamp(), _time);

        Assert.Empty(plan.Due);
        Assert.Null(plan.NextDueIn);
    }

    [Fact]
    public void First_renewals_of_tenants_claimed_together_spread_between_half_and_a_whole_period()
    {
        var delays = Enumerable.Range(0, 1000)
            .Select(i => RenewalPlanner.FirstRenewalDelay($"tenant-{i:D4}", Period)).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, Period / 2, Period));
        // Spread, not bunched: each tenth of the half-period window gets some of the thousand.
        var buckets = delays.GroupBy(delay => (int)((delay - Period / 2) / (Period / 20))).Select(g => g.Key).Distinct().Count();
        Assert.True(buckets >= 10, $"only {buckets} distinct tenths of the window were used");
        Assert.Equal(delays[7], RenewalPlanner.FirstRenewalDelay("tenant-0007", Period));
    }

    [Fact]
    public void A_timestamp_after_a_delay_follows_the_clock()
    {
        var start = _time.GetTimestamp();
        var due = RenewalPlanner.After(start, Period, _time);

        _time.Advance(Period);

        Assert.Equal(_time.GetTimestamp(), due);
    }

    private RenewalCandidate<string> Candidate(string id, int dueSecondsAgo, int remainingSeconds) =>
        new(id, RenewalPlanner.After(_time.GetTimestamp(), TimeSpan.FromSeconds(-dueSecondsAgo), _time), TimeSpan.FromSeconds(remainingSeconds));
}
