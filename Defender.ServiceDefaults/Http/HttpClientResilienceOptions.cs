using System.ComponentModel.DataAnnotations;

namespace Defender.ServiceDefaults.Http;

/// <summary>
/// The default resilience of every <c>IHttpClientFactory</c> client, bound from <c>HttpClientDefaults:Resilience</c>:
/// a total timeout around retries with exponential backoff and jitter around a per-attempt timeout.
/// </summary>
/// <remarks>
/// Clients named in <see cref="ExcludedClients"/> get none of it. By default those are the Defender clients, which
/// run their own pipeline (<c>Defender.Api</c>: 429 Retry-After and 5xx retries inside <c>DefenderApiClient</c>) or
/// rely on MSAL's (<c>Defender.Token</c>); a second layer would multiply their attempts and waits. Opting out by name
/// keeps the default where it belongs — on — for any client added later.
/// </remarks>
public sealed class HttpClientResilienceOptions
{
    public const string SectionName = "HttpClientDefaults:Resilience";

    public const int DefaultMaxRetryAttempts = 3;

    public static readonly TimeSpan DefaultTotalRequestTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(15);

    /// <summary>The Defender clients' names (<c>DefenderHttpClientNames</c>); ServiceDefaults does not reference the product.</summary>
    public static IReadOnlyList<string> DefaultExcludedClients { get; } = ["Defender.Api", "Defender.Token"];

    /// <summary>False turns the default pipeline off for every client.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Clients that keep their own resilience. Configuration adds to the defaults.</summary>
    public HashSet<string> ExcludedClients { get; set; } = new(DefaultExcludedClients, StringComparer.Ordinal);

    /// <summary>All attempts and the waits between them.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TotalRequestTimeout { get; set; } = DefaultTotalRequestTimeout;

    /// <summary>One attempt; a timed-out attempt is retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = DefaultAttemptTimeout;

    /// <summary>Retries after a connection failure, an attempt timeout, 408, 429 or 5xx. Zero disables retries.</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = DefaultMaxRetryAttempts;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    /// <summary>
    /// The longest wait between attempts. A 429 or 503 whose Retry-After asks for longer is handed to the caller
    /// unretried: it knows better whether waiting that long is worth it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = DefaultMaxRetryDelay;

    /// <summary>
    /// Retry POST and PATCH too. Off: a request that may have reached the server must not be repeated unless the
    /// method says repeating it is harmless.
    /// </summary>
    public bool RetryUnsafeMethods { get; set; }
}
