using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Http;
using Polly;
using Polly.Retry;

namespace Defender.Mssp.Defender.Api;

/// <summary>
/// The retries of one API request, as a Polly pipeline on the pipeline's <see cref="TimeProvider"/> (so tests never
/// sleep). Outer: 429 waits the service's Retry-After (or "in N seconds") when it is within
/// <see cref="DefenderRetryOptions.ThrottleMaxWait"/>, else backs off exponentially with jitter; a longer demand is
/// not waited out. Inner: 5xx, 408, timeouts and connection failures back off exponentially with jitter.
/// 401 and 403 pass straight through: the first is the token's business, the second an operator's.
/// </summary>
internal static class ApiResiliencePipeline
{
    public static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new("defender.request");

    public static ResiliencePipeline<ApiAttempt> Build(
        DefenderRetryOptions options, TimeProvider timeProvider, Action<ApiRequest, int, int, TimeSpan> onRetry)
    {
        var builder = new ResiliencePipelineBuilder<ApiAttempt> { TimeProvider = timeProvider };
        if (options.ThrottleMaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ApiAttempt>
            {
                Name = "throttling",
                MaxRetryAttempts = options.ThrottleMaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ThrottleBaseDelay,
                MaxDelay = options.ThrottleMaxWait,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result is { StatusCode: 429 } attempt
                    && (attempt.RetryAfter is null || attempt.RetryAfter <= options.ThrottleMaxWait)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
                OnRetry = args => Report(args, onRetry),
            });
        }

        if (options.TransientMaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ApiAttempt>
            {
                Name = "transient",
                MaxRetryAttempts = options.TransientMaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.TransientBaseDelay,
                MaxDelay = options.TransientMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } exception } => IsTransientException(exception, args.Context.CancellationToken),
                    { Result.StatusCode: >= 500 or 408 } => true,
                    _ => false,
                }),
                // A 503 with a reasonable Retry-After is honoured; otherwise the exponential backoff applies.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result?.RetryAfter is { } wait && wait <= options.TransientMaxDelay ? wait : (TimeSpan?)null),
                OnRetry = args => Report(args, onRetry),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// No answer, a broken connection or a timed-out attempt: worth another try. Caller cancellation is not, nor a
    /// server certificate we do not trust.
    /// </summary>
    public static bool IsTransientException(Exception exception, CancellationToken callerToken) => exception switch
    {
        _ when CertificateFailures.IsCertificateFailure(exception) => false,
        HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private static ValueTask Report(OnRetryArguments<ApiAttempt> args, Action<ApiRequest, int, int, TimeSpan> onRetry)
    {
        if (args.Context.Properties.TryGetValue(RequestKey, out var request))
        {
            onRetry(request, args.Outcome.Result?.StatusCode ?? 0, args.AttemptNumber + 1, args.RetryDelay);
        }

        return ValueTask.CompletedTask;
    }
}
