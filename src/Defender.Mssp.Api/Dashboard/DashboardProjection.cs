using Defender.Mssp.Api.Dashboard.Contracts;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Api.Dashboard.History;
using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Api.Dashboard;

/// <summary>Turns the fleet snapshot and the history into the dashboard's responses.</summary>
public static class DashboardProjection
{
    public static DashboardOverview Overview(FleetReading reading, DateTimeOffset now)
    {
        var snapshot = reading.Snapshot;
        var live = snapshot.Silos.Where(silo => silo.IsLive).Select(silo => silo.Heartbeat.SiloId).ToHashSet(StringComparer.Ordinal);
        var owners = snapshot.Tenants
            .Where(tenant => tenant.Leased && tenant.State?.OwnerSiloId is not null)
            .ToLookup(tenant => tenant.State!.OwnerSiloId!, tenant => tenant.TenantId, StringComparer.Ordinal);
        var silos = snapshot.Silos
            .OrderBy(silo => silo.Heartbeat.SiloId, StringComparer.Ordinal)
            .Select(silo => new DashboardSilo(
                silo.Heartbeat.SiloId,
                silo.IsLive,
                silo.Heartbeat.Endpoint,
                silo.Heartbeat.StartedAt,
                silo.Heartbeat.LastHeartbeat,
                silo.Heartbeat.Version,
                owners[silo.Heartbeat.SiloId].Order(StringComparer.Ordinal).ToList()))
            .ToList();
        var tenants = snapshot.Tenants.Select(tenant => Row(tenant, snapshot.At, live)).ToList();
        return new DashboardOverview(now, snapshot.At, reading.Stale, silos, tenants);
    }

    public static DashboardTenant Row(FleetTenant tenant, DateTimeOffset at, IReadOnlySet<string> liveSilos)
    {
        var state = tenant.State;
        var document = tenant.Document;
        var owner = tenant.Leased ? state?.OwnerSiloId : null;
        return new DashboardTenant(
            tenant.TenantId,
            document?.DisplayName,
            Managed: document is not null,
            Paused: document?.Paused ?? false,
            (state?.Health ?? TenantHealth.Unknown).ToString(),
            owner,
            owner is null ? null : liveSilos.Contains(owner),
            tenant.Leased,
            state?.LastPollStartedAt,
            state?.LastPollCompletedAt,
            state?.LastOutcome?.ToString(),
            state?.Sources.Values.Sum(checkpoint => checkpoint.RecordsDelivered) ?? 0,
            Lag(tenant, at),
            state?.TokenExpiresOn,
            state?.ConsecutiveFailures ?? 0,
            state?.NextPollNotBefore,
            state?.LastError is { } error ? new DashboardError(error.Code, error.Source, error.At) : null,
            document?.PollInterval,
            tenant.ConfiguredSources.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The lag of the configured source furthest behind; null until one has a watermark.</summary>
    public static TimeSpan? Lag(FleetTenant tenant, DateTimeOffset at)
    {
        TimeSpan? lag = null;
        foreach (var source in tenant.ConfiguredSources)
        {
            if (tenant.State?.Sources.GetValueOrDefault(source)?.Watermark is { } watermark)
            {
                var behind = at - watermark;
                lag = lag is { } worst && worst >= behind ? worst : behind;
            }
        }

        return lag;
    }

    public static DashboardHistoryResponse History(FleetHistory history, DateTimeOffset now)
    {
        var outcomes = Enum.GetValues<PollOutcome>();
        var buckets = history.Read(now)
            .Select(bucket => new DashboardHistoryBucket(
                bucket.Start,
                bucket.RecordsDelivered,
                outcomes.ToDictionary(outcome => outcome.ToString(), bucket.Polls)))
            .ToList();
        return new DashboardHistoryResponse(
            now, history.ObservingSince, history.BucketWidth, history.Window, outcomes.Select(outcome => outcome.ToString()).ToList(), buckets);
    }
}
