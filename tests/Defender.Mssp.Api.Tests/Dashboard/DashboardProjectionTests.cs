using Azure;
using Defender.Mssp.Api.Dashboard;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Sources;
using static Defender.Mssp.Api.Tests.Dashboard.Fleets;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class DashboardProjectionTests
{
    [Fact]
    public void Lag_is_that_of_the_configured_source_furthest_behind()
    {
        var tenant = Tenant(A);
        tenant.State!.Sources[DefenderSources.Incidents].Watermark = T0.AddMinutes(-3);
        tenant.State.Sources[DefenderSources.Siem].Watermark = T0.AddMinutes(-7);
        tenant.State.Sources["retired"] = new SourceCheckpoint { Watermark = T0.AddDays(-30) };

        Assert.Equal(TimeSpan.FromMinutes(7), DashboardProjection.Lag(tenant, T0));
        Assert.Null(DashboardProjection.Lag(Tenant(B), T0));
    }

    [Fact]
    public void A_row_shows_the_owner_only_while_its_lease_is_held_and_says_whether_that_silo_is_live()
    {
        var live = new HashSet<string>(["silo-a"]);
        var owned = Tenant(A);
        var released = owned with { Leased = false };
        var abandoned = Tenant(B);
        abandoned.State!.OwnerSiloId = "silo-gone";

        var ownedRow = DashboardProjection.Row(owned, T0, live);
        var releasedRow = DashboardProjection.Row(released, T0, live);
        var abandonedRow = DashboardProjection.Row(abandoned, T0, live);

        Assert.Equal(("silo-a", (bool?)true), (ownedRow.OwnerSiloId, ownedRow.OwnerSiloLive));
        Assert.Equal((null, (bool?)null), (releasedRow.OwnerSiloId, releasedRow.OwnerSiloLive));
        Assert.Equal(("silo-gone", (bool?)false), (abandonedRow.OwnerSiloId, abandonedRow.OwnerSiloLive));
    }

    [Fact]
    public void A_row_carries_what_the_operator_asked_for_beside_what_the_grain_recorded()
    {
        var pausing = Tenant(A, delivered: 42);
        pausing = pausing with { Document = pausing.Document! with { Paused = true } };
        pausing.State!.Sources[DefenderSources.Siem].RecordsDelivered = 8;
        pausing.State.LastError = Error("http_503", DefenderSources.Siem, T0);

        var row = DashboardProjection.Row(pausing, T0, new HashSet<string>());

        Assert.True(row.Paused);
        Assert.Equal(nameof(TenantHealth.Healthy), row.Health);
        Assert.Equal(50, row.RecordsDelivered);
        Assert.Equal(new Api.Dashboard.Contracts.DashboardError("http_503", DefenderSources.Siem, T0), row.LastError);
        Assert.True(row.Managed);
    }

    [Fact]
    public void A_silo_configured_tenant_is_shown_unmanaged_with_the_sources_it_has_state_for()
    {
        var row = DashboardProjection.Row(Tenant(A, managed: false), T0, new HashSet<string>());

        Assert.False(row.Managed);
        Assert.Null(row.DisplayName);
        Assert.Equal([DefenderSources.Incidents, DefenderSources.Siem], row.Sources);
    }

    [Fact]
    public void Each_silo_lists_the_tenants_whose_leases_it_holds()
    {
        var onA = Tenant(A);
        var onB = Tenant(B);
        onB.State!.OwnerSiloId = "silo-b";
        var notLeased = Tenant("00000000-0000-0000-0000-00000000000c") with { Leased = false };
        var snapshot = new FleetSnapshot(T0, [Silo("silo-b", live: false), Silo("silo-a", live: true)], [onA, onB, notLeased]);

        var overview = DashboardProjection.Overview(new FleetReading(snapshot, Stale: true), T0.AddSeconds(1));

        Assert.Equal(["silo-a", "silo-b"], overview.Silos.Select(silo => silo.SiloId));
        Assert.Equal([A], overview.Silos[0].Tenants);
        Assert.Equal([B], overview.Silos[1].Tenants);
        Assert.False(overview.Silos[1].Live);
        Assert.True(overview.Stale);
        Assert.Equal((T0.AddSeconds(1), T0), (overview.ServerTime, overview.ObservedAt));
        Assert.Equal(3, overview.Tenants.Count);
    }

    [Fact]
    public void The_history_response_has_every_outcome_for_every_bucket()
    {
        var history = History(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
        history.Observe(Snapshot(T0, Tenant(A, completed: T0, outcome: PollOutcome.PartiallyFailed)));

        var response = DashboardProjection.History(history, T0);

        Assert.Equal(10, response.Buckets.Count);
        Assert.Equal(Enum.GetNames<PollOutcome>(), response.Outcomes);
        Assert.All(response.Buckets, bucket => Assert.Equal(Enum.GetNames<PollOutcome>().Order(), bucket.Polls.Keys.Order()));
        Assert.Equal(1, response.Buckets[^1].Polls[nameof(PollOutcome.PartiallyFailed)]);
        Assert.Equal(T0, response.ObservingSince);
    }

    private static SiloEntry Silo(string id, bool live) =>
        new(new SiloHeartbeat { SiloId = id, StartedAt = T0.AddHours(-1), LastHeartbeat = T0 }, new ETag("x"), live);
}
