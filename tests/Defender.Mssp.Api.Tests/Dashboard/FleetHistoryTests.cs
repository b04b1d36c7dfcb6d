using Defender.Mssp.Grains.State;
using Defender.Mssp.Sources;
using static Defender.Mssp.Api.Tests.Dashboard.Fleets;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class FleetHistoryTests
{
    [Fact]
    public void Records_delivered_before_the_first_snapshot_are_a_baseline_not_a_spike()
    {
        var history = History();

        history.Observe(Snapshot(T0, Tenant(A, delivered: 5_000)));

        Assert.Equal(0, history.RecordsIn(T0));
        Assert.Equal(T0, history.ObservingSince);
    }

    [Fact]
    public void Growth_of_a_tenants_delivered_count_is_counted_in_the_bucket_it_was_observed_in()
    {
        var history = History();
        history.Observe(Snapshot(T0, Tenant(A, delivered: 100), Tenant(B, delivered: 10)));

        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, delivered: 130), Tenant(B, delivered: 10)));
        history.Observe(Snapshot(T0.AddMinutes(1), Tenant(A, delivered: 130), Tenant(B, delivered: 17)));

        var buckets = history.Read(T0.AddMinutes(1));
        Assert.Equal(30, buckets[^2].RecordsDelivered);
        Assert.Equal(7, buckets[^1].RecordsDelivered);
    }

    [Fact]
    public void A_tenant_onboarded_while_watching_counts_everything_it_delivered_but_one_from_before_does_not()
    {
        var history = History();
        history.Observe(Snapshot(T0));

        history.Observe(Snapshot(
            T0.AddSeconds(15),
            Tenant(A, delivered: 40, created: T0.AddSeconds(5)),
            Tenant(B, delivered: 900, created: T0.AddDays(-3))));

        Assert.Equal(40, history.RecordsIn(T0.AddSeconds(15)));
    }

    [Fact]
    public void A_count_that_went_down_was_purged_and_restarted_so_all_of_it_is_new()
    {
        var history = History();
        history.Observe(Snapshot(T0, Tenant(A, delivered: 500)));

        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, delivered: 12)));

        Assert.Equal(12, history.RecordsIn(T0.AddSeconds(15)));
    }

    [Fact]
    public void A_completed_poll_is_counted_once_by_outcome_in_the_bucket_of_its_completion()
    {
        var history = History();
        var completed = T0.AddSeconds(-70);

        history.Observe(Snapshot(T0, Tenant(A, completed: completed, outcome: PollOutcome.Delivered)));
        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, completed: completed, outcome: PollOutcome.Delivered)));
        history.Observe(Snapshot(T0.AddSeconds(30), Tenant(A, completed: T0.AddSeconds(20), outcome: PollOutcome.Failed)));

        var buckets = history.Read(T0.AddSeconds(30));
        Assert.Equal(1, buckets.Single(bucket => bucket.Start == T0.AddMinutes(-2)).Polls(PollOutcome.Delivered));
        Assert.Equal(1, buckets[^1].Polls(PollOutcome.Failed));
        Assert.Equal(2, buckets.Sum(bucket => bucket.PollsByOutcome.Sum()));
    }

    [Fact]
    public void A_poll_stamped_ahead_of_the_api_clock_is_counted_now_not_in_a_bucket_to_come()
    {
        var history = History();

        history.Observe(Snapshot(T0.AddSeconds(50), Tenant(A, completed: T0.AddMinutes(3), outcome: PollOutcome.NothingNew)));

        Assert.Equal(1, history.Read(T0.AddSeconds(50))[^1].Polls(PollOutcome.NothingNew));
    }

    [Fact]
    public void Each_recorded_error_is_logged_once_and_a_repeat_is_counted()
    {
        var history = History();
        var first = Error("AADSTS7000215", DefenderSources.Incidents, T0.AddSeconds(-30));

        history.Observe(Snapshot(T0, Tenant(A, errors: [first])));
        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, errors: [first])));
        history.Observe(Snapshot(T0.AddSeconds(30), Tenant(A, errors: [Error("AADSTS7000215", DefenderSources.Incidents, T0.AddSeconds(20))])));
        history.Observe(Snapshot(T0.AddSeconds(45), Tenant(A, errors: [Error("http_429", DefenderSources.Siem, T0.AddSeconds(40))])));

        var errors = history.ErrorsOf(A);
        Assert.Equal(["http_429", "AADSTS7000215"], errors.Select(error => error.Code));
        Assert.Equal(2, errors[1].Occurrences);
        Assert.Equal(T0.AddSeconds(-30), errors[1].FirstSeenAt);
        Assert.Equal(T0.AddSeconds(20), errors[1].LastSeenAt);
        Assert.Empty(history.ErrorsOf(B));
    }

    [Fact]
    public void A_snapshot_older_than_the_last_one_observed_changes_nothing()
    {
        var history = History();
        history.Observe(Snapshot(T0, Tenant(A, delivered: 10)));
        history.Observe(Snapshot(T0.AddSeconds(30), Tenant(A, delivered: 20)));

        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, delivered: 0)));

        Assert.Equal(10, history.RecordsIn(T0.AddSeconds(30)));
    }

    [Fact]
    public void A_tenant_missing_from_a_few_snapshots_does_not_count_its_history_again_when_it_returns()
    {
        var history = History();
        history.Observe(Snapshot(T0, Tenant(A, delivered: 1_000)));
        history.Observe(Snapshot(T0.AddMinutes(1)));

        history.Observe(Snapshot(T0.AddMinutes(2), Tenant(A, delivered: 1_003)));

        Assert.Equal(3, history.RecordsIn(T0.AddMinutes(2)));
    }

    [Fact]
    public void A_tenant_without_state_yet_counts_from_zero_once_it_has_one()
    {
        var history = History();
        history.Observe(Snapshot(T0, Tenant(A, withState: false)));

        history.Observe(Snapshot(T0.AddSeconds(15), Tenant(A, delivered: 8)));

        Assert.Equal(8, history.RecordsIn(T0.AddSeconds(15)));
    }
}
