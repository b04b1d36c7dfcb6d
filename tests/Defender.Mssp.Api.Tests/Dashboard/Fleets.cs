using Defender.Mssp.Api.Dashboard;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Api.Dashboard.History;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests.Dashboard;

/// <summary>Fleet snapshots made by hand, for the history and projection tests.</summary>
internal static class Fleets
{
    public static readonly DateTimeOffset T0 = ManualTimeProvider.DefaultStart;

    public static readonly string A = "00000000-0000-0000-0000-00000000000a";

    public static readonly string B = "00000000-0000-0000-0000-00000000000b";

    public static FleetSnapshot Snapshot(DateTimeOffset at, params FleetTenant[] tenants) => new(at, [], tenants);

    public static FleetTenant Tenant(
        string tenantId,
        long delivered = 0,
        DateTimeOffset? completed = null,
        PollOutcome? outcome = null,
        DateTimeOffset? created = null,
        bool withState = true,
        bool managed = true,
        params TenantError[] errors)
    {
        var document = managed
            ? new TenantDocument { TenantId = tenantId, ClientId = Guid.Empty.ToString(), DisplayName = "Tenant " + tenantId[^1], CreatedAt = created ?? T0.AddDays(-1) }
            : null;
        if (!withState)
        {
            return new FleetTenant(tenantId, document, null, Leased: false);
        }

        var state = new TenantGrainState
        {
            Health = TenantHealth.Healthy,
            LastPollCompletedAt = completed,
            LastOutcome = outcome,
            OwnerSiloId = "silo-a",
            LastError = errors.OrderBy(error => error.At).LastOrDefault(),
        };
        state.Sources[DefenderSources.Incidents] = new SourceCheckpoint
        {
            RecordsDelivered = delivered,
            LastError = errors.Where(error => error.Source == DefenderSources.Incidents).OrderBy(error => error.At).LastOrDefault(),
        };
        state.Sources[DefenderSources.Siem] = new SourceCheckpoint
        {
            LastError = errors.Where(error => error.Source == DefenderSources.Siem).OrderBy(error => error.At).LastOrDefault(),
        };
        return new FleetTenant(tenantId, document, state, Leased: true);
    }

    public static TenantError Error(string code, string? source, DateTimeOffset at) =>
        new() { Code = code, Source = source, At = at, Message = "failed: " + code };

    public static FleetHistory History(TimeSpan? bucketWidth = null, TimeSpan? window = null, int maxErrors = DashboardOptions.DefaultMaxErrorsPerTenant) =>
        new(Microsoft.Extensions.Options.Options.Create(new DashboardOptions
        {
            BucketWidth = bucketWidth ?? TimeSpan.FromMinutes(1),
            HistoryWindow = window ?? TimeSpan.FromHours(1),
            MaxErrorsPerTenant = maxErrors,
        }));

    public static long RecordsIn(this FleetHistory history, DateTimeOffset now) => history.Read(now).Sum(bucket => bucket.RecordsDelivered);

    public static int PollsIn(this FleetHistory history, DateTimeOffset now, PollOutcome outcome) => history.Read(now).Sum(bucket => bucket.Polls(outcome));
}
