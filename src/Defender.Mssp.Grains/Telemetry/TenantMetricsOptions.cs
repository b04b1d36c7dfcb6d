using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Grains.Telemetry;

/// <summary>
/// Whether the grain metrics carry the tenant id, bound from section <c>Telemetry</c>. A series per tenant is what an
/// operator of a few dozen tenants wants and what a metrics backend of thousands cannot afford, so by default
/// (<see cref="PerTenantSeries.Auto"/>) a silo emits them while it hosts at most <see cref="PerTenantSeriesMaxTenants"/>.
/// </summary>
public sealed class TenantMetricsOptions
{
    public const string SectionName = "Telemetry";

    public const int DefaultPerTenantSeriesMaxTenants = 100;

    public PerTenantSeries PerTenantSeries { get; set; } = PerTenantSeries.Auto;

    /// <summary>With <see cref="PerTenantSeries.Auto"/>: the most tenants a silo may host and still emit per-tenant series.</summary>
    [Range(0, 1_000_000)]
    public int PerTenantSeriesMaxTenants { get; set; } = DefaultPerTenantSeriesMaxTenants;
}

/// <summary>When the grain metrics carry <c>defender.tenant.id</c>.</summary>
public enum PerTenantSeries
{
    /// <summary>While the silo hosts no more than <see cref="TenantMetricsOptions.PerTenantSeriesMaxTenants"/> tenants.</summary>
    Auto,

    /// <summary>Always, however many tenants (the operator accepts the cardinality).</summary>
    Always,

    /// <summary>Never: only aggregates by source.</summary>
    Never,
}
