using Defender.Mssp.Tenants;

namespace Defender.Mssp.Sinks.Http;

/// <summary>Where and how <see cref="HttpRecordSink"/> posts batches.</summary>
public sealed class HttpSinkOptions
{
    /// <summary>The HEC endpoint that takes JSON events; used when <see cref="Url"/> of a HEC sink has no path.</summary>
    public const string SplunkHecEventPath = "/services/collector/event";

    /// <summary>The HEC <c>sourcetype</c>; <c>{source}</c> is replaced by the record's source name.</summary>
    public const string DefaultSourceType = "ms:defender:{source}";

    public const int DefaultMaxRetryAttempts = 4;
    public const int DefaultMaxRecordsPerRequest = 500;

    /// <summary>4 MiB of JSON before compression, well inside HEC's default 1 MB-per-event and proxy body limits.</summary>
    public const int DefaultMaxRequestBytes = 4 * 1024 * 1024;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The URL batches are posted to (http or https). For <see cref="HttpSinkFlavour.SplunkHec"/> a URL without a path gets <see cref="SplunkHecEventPath"/>.</summary>
    public Uri? Url { get; set; }

    public HttpSinkFlavour Flavour { get; set; } = HttpSinkFlavour.Envelopes;

    /// <summary>Extra request headers whose values are not secret (a tenant label, a content hint).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra request headers whose values are secret (an API key): never logged, redacted from error text.</summary>
    public Dictionary<string, Secret> SecretHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HEC token, sent as <c>Authorization: Splunk &lt;token&gt;</c>. Required for <see cref="HttpSinkFlavour.SplunkHec"/>.</summary>
    public Secret? Token { get; set; }

    /// <summary>The HEC <c>index</c>; when null the token's default index takes the events.</summary>
    public string? Index { get; set; }

    /// <summary>The HEC <c>sourcetype</c>; <c>{source}</c> stands for the record's source.</summary>
    public string SourceType { get; set; } = DefaultSourceType;

    /// <summary>The HEC <c>host</c>; null means this machine's name.</summary>
    public string? Host { get; set; }

    /// <summary>Compress request bodies (<c>Content-Encoding: gzip</c>); HEC and most collectors accept it.</summary>
    public bool Gzip { get; set; }

    /// <summary>How long one request may take before it is abandoned and retried.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Retries after the first attempt for 408, 429, 5xx, timeouts and connection failures; 0 for none.</summary>
    public int MaxRetryAttempts { get; set; } = DefaultMaxRetryAttempts;

    /// <summary>The first retry's delay; later ones double, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    /// <summary>
    /// The longest wait between attempts. A <c>Retry-After</c> longer than this is not waited out: the batch fails
    /// and the grain retries it on its own schedule.
    /// </summary>
    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;

    /// <summary>A batch is split into requests of at most this many records.</summary>
    public int MaxRecordsPerRequest { get; set; } = DefaultMaxRecordsPerRequest;

    /// <summary>...and at most this many bytes before compression (a single larger record goes alone).</summary>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>A PEM file of extra trust anchors for the server's certificate, on top of the system store.</summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>The problems that make these options unusable; empty when they are fine.</summary>
    public IEnumerable<string> Validate()
    {
        if (Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return "Url must be an absolute http or https URL.";
        }

        if (Flavour == HttpSinkFlavour.SplunkHec && string.IsNullOrEmpty(Token?.Reveal()))
        {
            yield return "Token is required for the SplunkHec flavour.";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Timeout must be positive.";
        }

        if (MaxRetryAttempts < 0 || RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return "MaxRetryAttempts must be 0 or more and 0 <= RetryBaseDelay <= RetryMaxDelay.";
        }

        if (MaxRecordsPerRequest < 1 || MaxRequestBytes < 1)
        {
            yield return "MaxRecordsPerRequest and MaxRequestBytes must be positive.";
        }

        foreach (var name in Headers.Keys.Concat(SecretHeaders.Keys).Where(name => !IsToken(name)))
        {
            yield return $"'{name}' is not a valid header name.";
        }
    }

    /// <summary>The URL requests go to, with HEC's event path filled in.</summary>
    internal Uri RequestUri =>
        Flavour == HttpSinkFlavour.SplunkHec && Url!.AbsolutePath is "" or "/" ? new Uri(Url, SplunkHecEventPath) : Url!;

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && !"()<>@,;:\\\"/[]?={}".Contains(c));
}
