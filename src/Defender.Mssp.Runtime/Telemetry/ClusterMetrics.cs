using System.Diagnostics.Metrics;

namespace Defender.Mssp.Runtime.Telemetry;

/// <summary>
/// The cluster's metrics on the <c>Defender.Mssp</c> meter, each tagged <c>defender.silo.id</c> (one value per
/// process, so bounded):
/// <list type="bullet">
/// <item><c>defender.leases.acquired</c> ({lease}): tenant leases this silo took.</item>
/// <item><c>defender.leases.lost</c> ({lease}): leases lost without being released — a refused renewal, a missed
/// safety deadline, a write fenced by storage. Released leases are counted apart.</item>
/// <item><c>defender.leases.released</c> ({lease}): leases handed back gracefully (rebalancing, shutdown).</item>
/// <item><c>defender.grains.active</c> ({grain}): tenant grains running on the silo now.</item>
/// <item><c>defender.leases.renewal.lag</c> (s): how long after it was due each lease renewal started — near zero
/// while storage keeps up; a lease is lost once it reaches the lease validity minus the renewal period.</item>
/// <item><c>defender.leases.renewals.late</c> ({renewal}): renewals that started half a renewal period or more late.</item>
/// </list>
/// The cluster calls these at the matching transitions; a DI singleton (<c>AddClusterMetrics()</c>).
/// </summary>
public sealed class ClusterMetrics
{
    public const string MeterName = "Defender.Mssp";
    public const string SiloIdTag = "defender.silo.id";

    private readonly Counter<long> _acquired;
    private readonly Counter<long> _lost;
    private readonly Counter<long> _released;
    private readonly UpDownCounter<long> _activeGrains;
    private readonly Histogram<double> _renewalLag;
    private readonly Counter<long> _lateRenewals;

    public ClusterMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _acquired = meter.CreateCounter<long>("defender.leases.acquired", "{lease}", "Tenant leases acquired by the silo.");
        _lost = meter.CreateCounter<long>("defender.leases.lost", "{lease}", "Tenant leases the silo lost without releasing them.");
        _released = meter.CreateCounter<long>("defender.leases.released", "{lease}", "Tenant leases the silo released gracefully.");
        _activeGrains = meter.CreateUpDownCounter<long>("defender.grains.active", "{grain}", "Tenant grains running on the silo.");
        _renewalLag = meter.CreateHistogram<double>("defender.leases.renewal.lag", "s", "How long after it was due each lease renewal started.");
        _lateRenewals = meter.CreateCounter<long>("defender.leases.renewals.late", "{renewal}", "Lease renewals that started half a renewal period or more after they were due.");
    }

    public void LeaseAcquired(string siloId) => _acquired.Add(1, Silo(siloId));

    public void LeaseLost(string siloId) => _lost.Add(1, Silo(siloId));

    public void LeaseReleased(string siloId) => _released.Add(1, Silo(siloId));

    /// <summary>A grain started running; pair with <see cref="GrainDeactivated"/> when it stops, whatever the reason.</summary>
    public void GrainActivated(string siloId) => _activeGrains.Add(1, Silo(siloId));

    public void GrainDeactivated(string siloId) => _activeGrains.Add(-1, Silo(siloId));

    /// <summary>A lease renewal started <paramref name="lag"/> after it was due; <paramref name="late"/> when that counts as falling behind.</summary>
    public void RenewalStarted(string siloId, TimeSpan lag, bool late)
    {
        _renewalLag.Record(lag.TotalSeconds, Silo(siloId));
        if (late)
        {
            _lateRenewals.Add(1, Silo(siloId));
        }
    }

    private static KeyValuePair<string, object?> Silo(string siloId) => new(SiloIdTag, siloId);
}
