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
        TenantHealth.NeedsOperator => 4,
        TenantHealth.ConsentMissing => 5,
        TenantHealth.AuthFailed => 6,
        TenantHealth.TenantNotFound => 7,
        TenantHealth.Paused => 8,
        _ => 0,
    };

    public static TenantHealth Worst(IEnumerable<TenantHealth> healths) =>
        healths.Aggregate(TenantHealth.Unknown, (worst, next) => Rank(next) > Rank(worst) ? next : worst);
}
