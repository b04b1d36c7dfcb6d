using System.Security.Authentication;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Defender.Mssp.Sinks.Http;

/// <summary>
/// The retries of one request, as a Polly pipeline on the sink's <see cref="TimeProvider"/>: each attempt has its own
/// timeout; 408, 429, 5xx, timeouts and connection failures back off exponentially with jitter, a <c>Retry-After</c>
/// is honoured when it is within <see cref="HttpSinkOptions.RetryMaxDelay"/> (a longer one is not waited out).
/// Everything else — 2xx, other 4xx, an untrusted certificate — is final at once.
/// </summary>
internal static class HttpSinkResilience
{
    public static ResiliencePipeline<HttpAttempt> Build(HttpSinkOptions options, TimeProvider timeProvider, Action<int, int, TimeSpan> onRetry)
    {
        var builder = new ResiliencePipelineBuilder<HttpAttempt> { TimeProvider = timeProvider };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpAttempt>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } exception } => IsTransient(exception, args.Context.CancellationToken),
                    { Result: { IsTransient: true } attempt } => attempt.RetryAfter is null || attempt.RetryAfter <= options.RetryMaxDelay,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Result?.StatusCode ?? 0, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(options.Timeout);
        return builder.Build();
    }

    /// <summary>No answer, a broken connection or a timed-out attempt; not the caller cancelling, nor a certificate we do not trust.</summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when IsCertificateFailure(exception) => false,
        HttpRequestException or IOException or TimeoutRejectedException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    public static bool IsCertificateFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
