using System.Net.Sockets;
using System.Security.Authentication;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// Sends each record as an RFC 5424 message (body CEF or JSON, see <see cref="SyslogFormat"/>) over one TCP or TLS
/// connection with octet-counted framing. A batch is acknowledged once all its messages are written and flushed to the
/// connection; a failure closes the connection and the batch is sent again on a new one, with exponential backoff and
/// jitter, a bounded number of times, then fails with <see cref="SinkUnavailableException"/>.
/// </summary>
/// <remarks>
/// Syslog has no application-level acknowledgement: "flushed" means handed to the operating system's socket buffer.
/// If the collector dies after that and before reading, those messages are lost without an error. The sink narrows the
/// window by checking, before each batch, whether the collector has closed the connection (then it reconnects instead
/// of writing into a dead socket); closing it completely needs RELP or an HTTP collector. Batches are written one at a
/// time, so messages of different batches never interleave and each tenant's records arrive in delivery order.
/// </remarks>
public sealed partial class SyslogRecordSink : IRecordSink, IDisposable
{
    /// <summary>This sink's kind, as <c>defender.sink</c> in its metrics.</summary>
    public const string SinkKind = "syslog";

    private readonly SyslogSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SinkMetrics? _metrics;
    private readonly SyslogConnection _connection;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _hostname;

    /// <exception cref="ArgumentException">The options are not valid (see <see cref="SyslogSinkOptions.Validate"/>).</exception>
    /// <exception cref="SinkFaultException">The trust anchor file cannot be read.</exception>
    public SyslogRecordSink(
        string name, SyslogSinkOptions options, TimeProvider timeProvider, ILogger<SyslogRecordSink>? logger = null, SinkMetrics? metrics = null)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Syslog sink '{name}': {string.Join(" ", problems)}", nameof(options));
        }

        Name = name;
        _options = options;
        _time = timeProvider;
        _logger = logger ?? NullLogger<SyslogRecordSink>.Instance;
        _metrics = metrics;
        _hostname = SyslogMessages.Header(options.Hostname ?? Environment.MachineName, 255);
        _connection = new SyslogConnection(options, TrustAnchors.Load(name, options.TrustedCertificatesPath));
        _pipeline = BuildPipeline(options, timeProvider);
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
        var frames = SyslogMessages.EncodeBatch(_options, _hostname, tenantId, source, records, _time.GetUtcNow());
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendAsync(frames, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_metrics?.WriteFailed(SinkKind, source, _time.GetElapsedTime(started), exception) == true)
        {
            throw; // Never reached: the filter only records.
        }
        finally
        {
            _gate.Release();
        }

        _metrics?.WriteCompleted(SinkKind, source, _time.GetElapsedTime(started));
        Log.Delivered(_logger, Name, tenantId, source, records.Count, frames.Length);
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private async Task SendAsync(byte[] frames, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.ExecuteAsync(
                static (state, token) => new ValueTask(state.Connection.WriteAsync(state.Frames, token)),
                (Connection: _connection, Frames: frames), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AuthenticationException exception)
        {
            throw new SinkFaultException(Name, $"Syslog sink '{Name}': the TLS handshake with {Endpoint} failed (certificate not trusted or no common protocol).", exception);
        }
        catch (Exception exception) when (IsTransient(exception, cancellationToken))
        {
            throw new SinkUnavailableException(
                Name, $"Syslog sink '{Name}': could not send to {Endpoint} after {_options.MaxRetryAttempts + 1} attempts ({exception.GetType().Name}).", exception);
        }
    }

    private ResiliencePipeline BuildPipeline(SyslogSinkOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && IsTransient(exception, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    Log.Reconnecting(_logger, args.Outcome.Exception, Name, Endpoint, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    private static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        AuthenticationException => false,
        SocketException or IOException or TimeoutRejectedException or ObjectDisposedException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private string Endpoint => $"{_options.Host}:{_options.EffectivePort}";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Syslog sink {Sink} sent {Count} records ({Bytes} bytes) of tenant {TenantId} source {Source}")]
        public static partial void Delivered(ILogger logger, string sink, string tenantId, string source, int count, int bytes);

        [LoggerMessage(2, LogLevel.Warning, "Syslog sink {Sink}: sending to {Endpoint} failed (attempt {Attempt}); reconnecting in {Delay}")]
        public static partial void Reconnecting(ILogger logger, Exception? exception, string sink, string endpoint, int attempt, TimeSpan delay);
    }
}
