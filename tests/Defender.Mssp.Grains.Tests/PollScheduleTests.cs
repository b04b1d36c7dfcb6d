using Defender.Mssp.Grains.Polling;

namespace Defender.Mssp.Grains.Tests;

public sealed class PollScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    [Fact]
    public void First_poll_falls_anywhere_within_one_interval()
    {
        var schedule = new PollSchedule(new PollingOptions(), new Random(7));

        var delays = Enumerable.Range(0, 2000).Select(_ => schedule.FirstPollDelay(Interval)).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, Interval - TimeSpan.FromTicks(1)));
        // Spread over the interval, not bunched: each fifth of it gets a share.
        Assert.All(Enumerable.Range(0, 5), fifth =>
            Assert.Contains(delays, delay => delay >= Interval * fifth / 5 && delay < Interval * (fifth + 1) / 5));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Later_polls_vary_within_the_jitter(double jitter)
    {
        var schedule = new PollSchedule(new PollingOptions { Jitter = jitter }, new Random(11));

        var delays = Enumerable.Range(0, 2000).Select(_ => schedule.NextPollDelay(Interval)).ToList();

        Assert.All(delays, delay => Assert.InRange(delay, Interval * (1 - jitter), Interval * (1 + jitter)));
        Assert.Contains(delays, delay => delay < Interval * (1 - jitter / 2));
        Assert.Contains(delays, delay => delay > Interval * (1 + jitter / 2));
    }

    [Fact]
    public void Without_jitter_polls_keep_the_interval()
    {
        var schedule = new PollSchedule(new PollingOptions { Jitter = 0 }, new Random(3));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(Interval, schedule.NextPollDelay(Interval)));
    }

    [Fact]
    public void Failure_backoff_doubles_from_the_initial_value_up_to_the_cap()
    {
        var options = new PollingOptions { Jitter = 0 };
        var schedule = new PollSchedule(options, new Random(5));

        var backoffs = Enumerable.Range(1, 10).Select(schedule.FailureBackoff).ToList();

        Assert.Equal(
            [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600],
            backoffs.Select(backoff => (int)backoff.TotalSeconds));
        Assert.Equal(options.MaxFailureBackoff, schedule.FailureBackoff(int.MaxValue));
    }

    [Fact]
    public void Jittered_backoff_never_exceeds_the_cap_nor_falls_below_its_jitter_share()
    {
        var options = new PollingOptions { Jitter = 0.2 };
        var schedule = new PollSchedule(options, new Random(9));

        for (var failures = 1; failures <= 20; failures++)
        {
            var nominal = TimeSpan.FromTicks(Math.Min(
                options.InitialFailureBackoff.Ticks * (long)Math.Pow(2, failures - 1), options.MaxFailureBackoff.Ticks));
            for (var sample = 0; sample < 50; sample++)
            {
                Assert.InRange(schedule.FailureBackoff(failures), nominal * 0.8, nominal);
            }
        }
    }
}
