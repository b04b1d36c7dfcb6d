using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Options;

/// <summary>
/// The management API's rate limit (configuration section <c>Api:RateLimit</c>): a fixed window per caller — per API
/// key or token subject, and per client address for requests that are not authenticated.
/// </summary>
public sealed class ManagementRateLimitOptions
{
    public const string SectionName = "Api:RateLimit";

    public const int DefaultPermitLimit = 600;

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

    /// <summary>Requests a caller may make per window.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Api:RateLimit:PermitLimit must be between 1 and 1000000.")]
    public int PermitLimit { get; set; } = DefaultPermitLimit;

    public TimeSpan Window { get; set; } = DefaultWindow;
}
