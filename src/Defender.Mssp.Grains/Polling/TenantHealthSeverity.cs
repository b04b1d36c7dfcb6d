using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Grains.Polling;

/// <summary>Orders health values so a tenant shows its worst source: problems an operator must fix above those that heal.</summary>
internal static class TenantHealthSeverity
{
    public static int Rank(TenantHealth health) => health switch
    {
        TenantHealth.Unknown => 0,
        TenantHealth.Healthy => 1,
        TenantHealth.Throttled => 2,
        TenantHealth.Faulted => 3,
        TenantHealth.SinkFailing => 4,
        TenantHealth.NeedsOperator => 5,
        TenantHealth.ConsentMissing => 6,
        TenantHealth.AuthFailed => 7,
        TenantHealth.TenantNotFound => 8,
        TenantHealth.Paused => 9,
        _ => 0,
    };

    public static TenantHealth Worst(IEnumerable<TenantHealth> healths) =>
        healths.Aggregate(TenantHealth.Unknown, (worst, next) => Rank(next) > Rank(worst) ? next : worst);
}
