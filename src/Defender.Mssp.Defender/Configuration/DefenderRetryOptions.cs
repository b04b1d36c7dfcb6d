using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>Retries of one API request, bound from section <c>Defender:Retry</c>.</summary>
public sealed class DefenderRetryOptions
{
    public const string SectionName = "Defender:Retry";

    public const int DefaultTransientMaxRetries = 3;

    public const int DefaultThrottleMaxRetries = 3;

    public static readonly TimeSpan DefaultTransientBaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultTransientMaxDelay = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultThrottleMaxWait = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultThrottleBaseDelay = TimeSpan.FromSeconds(5);

    /// <summary>Retries after 5xx, 408, timeouts and connection failures (exponential backoff with jitter).</summary>
    [Range(0, 10)]
    public int TransientMaxRetries { get; set; } = DefaultTransientMaxRetries;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan TransientBaseDelay { get; set; } = DefaultTransientBaseDelay;

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TransientMaxDelay { get; set; } = DefaultTransientMaxDelay;

    /// <summary>Retries after 429.</summary>
    [Range(0, 10)]
    public int ThrottleMaxRetries { get; set; } = DefaultThrottleMaxRetries;

    /// <summary>
    /// The longest Retry-After this client waits out itself; a longer one fails the request at once with
    /// <see cref="Sources.DefenderApiException.RetryAfter"/> set, so the caller can schedule the tenant's next poll.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ThrottleMaxWait { get; set; } = DefaultThrottleMaxWait;

    /// <summary>Backoff base after a 429 that says neither Retry-After nor "in N seconds".</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ThrottleBaseDelay { get; set; } = DefaultThrottleBaseDelay;
}
