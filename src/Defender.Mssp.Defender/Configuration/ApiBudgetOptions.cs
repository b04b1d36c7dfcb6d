using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// The request budget of one API (a source name from <see cref="Sources.DefenderSources"/>), bound from
/// <c>Defender:Budgets:{api}</c>. A limit that is empty or 0 is not enforced.
/// </summary>
public sealed class ApiBudgetOptions
{
    /// <summary>Requests per minute per app per tenant.</summary>
    [Range(0, 1_000_000)]
    public int? PerMinute { get; set; }

    /// <summary>Requests per hour per app per tenant.</summary>
    [Range(0, 100_000_000)]
    public int? PerHour { get; set; }

    /// <summary>Requests per 10 seconds per app across all the tenants it serves (Microsoft Graph's global limit).</summary>
    [Range(0, 100_000_000)]
    public int? AppPer10Seconds { get; set; }

    /// <summary>
    /// APIs naming the same scope share one app-wide budget (Graph's limit covers every Graph API of an app);
    /// empty: the API's own name.
    /// </summary>
    public string? AppScope { get; set; }

    /// <summary>Overrides <see cref="DefenderBudgetOptions.BurstFraction"/> for this API.</summary>
    [Range(0.0, 1.0)]
    public double? BurstFraction { get; set; }

    internal ApiBudgetOptions Copy() => (ApiBudgetOptions)MemberwiseClone();
}
