using System.ComponentModel.DataAnnotations;

namespace Defender.Simulator.Tenants;

/// <summary>One API's limits, counted in clock-aligned windows; a limit left empty (or 0) is not enforced.</summary>
public sealed class ApiRateLimitOptions
{
    /// <summary>Calls per clock minute per app per tenant.</summary>
    [Range(0, int.MaxValue)]
    public int? PerMinute { get; set; }

    /// <summary>Calls per clock hour per app per tenant.</summary>
    [Range(0, int.MaxValue)]
    public int? PerHour { get; set; }

    /// <summary>Calls per 10 seconds per app across all tenants (Graph's global limit).</summary>
    [Range(0, int.MaxValue)]
    public int? AppPer10Seconds { get; set; }

    /// <summary>APIs naming the same scope share the app-wide count; empty: the API's own name.</summary>
    public string? AppScope { get; set; }

    internal ApiRateLimitOptions Copy() => (ApiRateLimitOptions)MemberwiseClone();
}
