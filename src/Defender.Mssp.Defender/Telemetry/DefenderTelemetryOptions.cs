using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// Whether the Defender clients' per-tenant gauges carry the tenant id, bound from section <c>Telemetry</c>: the same
/// keys the grains' metrics read (<c>Telemetry:PerTenantSeries</c> = <c>Auto</c>|<c>Always</c>|<c>Never</c>,
/// <c>Telemetry:PerTenantSeriesMaxTenants</c>), so one setting governs every per-tenant series of a silo. This library
/// does not reference the grains, hence its own copy of the two keys.
/// </summary>
public sealed class DefenderTelemetryOptions
{
    public const string SectionName = "Telemetry";

    public const int DefaultPerTenantSeriesMaxTenants = 100;

    public TenantSeriesMode PerTenantSeries { get; set; } = TenantSeriesMode.Auto;

    /// <summary>With <see cref="TenantSeriesMode.Auto"/>: the most tenants a series may cover and still be per tenant.</summary>
    [Range(0, 1_000_000)]
    public int PerTenantSeriesMaxTenants { get; set; } = DefaultPerTenantSeriesMaxTenants;
}

/// <summary>When per-tenant series are emitted.</summary>
public enum TenantSeriesMode
{
    /// <summary>While no more than <see cref="DefenderTelemetryOptions.PerTenantSeriesMaxTenants"/> tenants are covered.</summary>
    Auto,

    /// <summary>Always, whatever the cardinality.</summary>
    Always,

    /// <summary>Never: aggregates only.</summary>
    Never,
}
