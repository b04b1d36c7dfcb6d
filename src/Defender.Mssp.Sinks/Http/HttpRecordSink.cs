using System.Net.Http.Headers;
using System.Text;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Defender.Mssp.Sinks.Http;

/// <summary>
/// Posts each batch over HTTP(S): a JSON array of envelopes, or Splunk HEC events (see <see cref="HttpSinkFlavour"/>).
/// A 2xx answer to every request of the batch is the acknowledgement; 408, 429, 5xx, timeouts and connection failures
/// are retried (bounded, see <see cref="HttpSinkResilience"/>) and then fail the batch with
/// <see cref="SinkUnavailableException"/>; any other answer is a <see cref="SinkFaultException"/> naming the status.
/// </summary>
/// <remarks>
/// <para>
/// The sink owns its <see cref="HttpClient"/> rather than taking one from <c>IHttpClientFactory</c>: each sink has its
/// own trust anchors and can be created and retired at run time from a tenant's overrides, which named factory clients
/// cannot express. Its handler recycles pooled connections so DNS changes are followed.
/// </para>
/// <para>
/// Splunk answers 200 once HEC has <em>received</em> the events, before they are indexed; HEC's indexer
/// acknowledgement (channels and ack polling) is not used. Each event carries its idempotency key in <c>fields</c>.
/// </para>
/// </remarks>
public sealed partial class HttpRecordSink : IRecordSink, IDisposable
{
    /// <summary>This sink's kind, as <c>defender.sink</c> in its metrics.</summary>
    public const string SinkKind = "http";

    private const int MaxExcerptLength = 300;

    private readonly HttpSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SinkMetrics? _metrics;
    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpAttempt> _pipeline;
    private readonly Uri _uri;
    private readonly string _host;
    private readonly string[] _secretValues;

    /// <exception cref="ArgumentException">The options are not valid (see <see cref="HttpSinkOptions.Validate"/>).</exception>
    /// <exception cref="SinkFaultException">The trust anchor file cannot be read.</exception>
    public HttpRecordSink(
        string name, HttpSinkOptions options, TimeProvider timeProvider, ILogger<HttpRecordSink>? logger = null, SinkMetrics? metrics = null)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"HTTP sink '{name}': {string.Join(" ", problems)}", nameof(options));
        }

        Name = name;
        _options = options;
        _time = timeProvider;
        _logger = logger ?? NullLogger<HttpRecordSink>.Instance;
        _metrics = metrics;
        _uri = options.RequestUri;
        _host = string.IsNullOrWhiteSpace(options.Host) ? Environment.MachineName : options.Host;
        _secretValues = options.SecretHeaders.Values.Append(options.Token)
            .Select(secret => secret?.Reveal()).Where(value => !string.IsNullOrEmpty(value)).Select(value => value!).ToArray();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirected POST turns into a GET; a redirect is a misconfiguration to report
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeout,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TrustAnchors.Load(name, options.TrustedCertificatesPath).Callback;
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _pipeline = HttpSinkResilience.Build(options, timeProvider, (status, attempt, delay) => Log.Retrying(_logger, Name, status, attempt, delay));
    }

    /// <summary>The configured name of the sink.</summary>
    public string Name { get; }

    public async Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var started = _time.GetTimestamp();
        try
        {
            var bodies = HttpPayloads.Build(_options, _host, tenantId, source, records, _time.GetUtcNow());
            // In order, one at a time: a tenant's records reach the collector in the order the grain delivered them.
            foreach (var body in bodies)
            {
                await PostAsync(_options.Gzip ? HttpPayloads.Gzip(body) : body, cancellationToken).ConfigureAwait(false);
            }

            _metrics?.WriteCompleted(SinkKind, source, _time.GetElapsedTime(started));
            Log.Delivered(_logger, Name, tenantId, source, records.Count, bodies.Count);
        }
        catch (Exception exception) when (_metrics?.WriteFailed(SinkKind, source, _time.GetElapsedTime(started), exception) == true)
        {
            throw; // Never reached: the filter only records.
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task PostAsync(byte[] content, CancellationToken cancellationToken)
    {
        HttpAttempt attempt;
        try
        {
            attempt = await _pipeline.ExecuteAsync(
                static (state, token) => state.Sink.SendOnceAsync(state.Content, token), (Sink: this, Content: content), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (HttpSinkResilience.IsCertificateFailure(exception))
        {
            throw new SinkFaultException(Name, $"HTTP sink '{Name}': the TLS certificate of {Endpoint} is not trusted.", exception);
        }
        catch (Exception exception) when (HttpSinkResilience.IsTransient(exception, cancellationToken))
        {
            throw new SinkUnavailableException(
                Name, $"HTTP sink '{Name}': no answer from {Endpoint} after {_options.MaxRetryAttempts + 1} attempts ({exception.GetType().Name}).", exception);
        }

        if (attempt.IsSuccess)
        {
            return;
        }

        var detail = attempt.BodyExcerpt is { Length: > 0 } excerpt ? $": {excerpt}" : "";
        if (attempt.IsTransient)
        {
            throw new SinkUnavailableException(
                Name, $"HTTP sink '{Name}': {Endpoint} answered {attempt.Status}{detail}", retryAfter: attempt.RetryAfter);
        }

        throw new SinkFaultException(
            Name, $"HTTP sink '{Name}': {Endpoint} refused the batch with {attempt.Status}{detail}", statusCode: attempt.StatusCode);
    }

    private async ValueTask<HttpAttempt> SendOnceAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        if (_options.Gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in _options.SecretHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value.Reveal());
        }

        if (_options.Flavour == HttpSinkFlavour.SplunkHec)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Splunk " + _options.Token!.Reveal());
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var excerpt = status is >= 200 and < 300 ? null : await ReadExcerptAsync(response, cancellationToken).ConfigureAwait(false);
        return new HttpAttempt(status, response.ReasonPhrase, RetryAfter(response.Headers.RetryAfter), excerpt);
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > _time.GetUtcNow() ? date - _time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The start of an error body (HEC says why: "Invalid token", "Incorrect index"), with any secret cut out in case the server echoes the request.</summary>
    private async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new char[MaxExcerptLength];
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        var text = new string(buffer, 0, read).ReplaceLineEndings(" ").Trim();
        foreach (var secret in _secretValues)
        {
            text = text.Replace(secret, Tenants.Secret.Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    private string Endpoint => $"{_uri.Host}:{_uri.Port}";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "HTTP sink {Sink} took {Count} records of tenant {TenantId} source {Source} in {Requests} requests")]
        public static partial void Delivered(ILogger logger, string sink, string tenantId, string source, int count, int requests);

        [LoggerMessage(2, LogLevel.Warning, "HTTP sink {Sink}: attempt {Attempt} failed (status {Status}); retrying in {Delay}")]
        public static partial void Retrying(ILogger logger, string sink, int status, int attempt, TimeSpan delay);
    }
}
