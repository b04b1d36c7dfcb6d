using Polly;
using Polly.Retry;

namespace Defender.ServiceDefaults.Http;

/// <summary>
/// Builds the default pipeline: total timeout → retry (exponential backoff with jitter, honouring Retry-After up to
/// <see cref="HttpClientResilienceOptions.MaxRetryDelay"/>) → attempt timeout. It keeps no per-client state (no
/// circuit breaker), so one instance (a DI singleton) serves every client.
/// </summary>
internal sealed class HttpClientResiliencePipeline(HttpClientResilienceOptions options, TimeProvider timeProvider)
{
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; } = Build(options, timeProvider);

    private static ResiliencePipeline<HttpResponseMessage> Build(HttpClientResilienceOptions options, TimeProvider timeProvider)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.TotalRequestTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult(
                    HttpRetryPolicy.RetryAfter(args.Outcome.Result, timeProvider.GetUtcNow())),
                OnRetry = args =>
                {
                    // The answer we give up on must release its connection before the next attempt.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.AddTimeout(options.AttemptTimeout).Build();
    }

    private static bool ShouldRetry(
        Outcome<HttpResponseMessage> outcome, ResilienceContext context, HttpClientResilienceOptions options, TimeProvider time) =>
        context.Properties.TryGetValue(HttpRetryPolicy.RequestKey, out var request)
        && HttpRetryPolicy.CanRepeat(request, options)
        && HttpRetryPolicy.IsTransient(outcome, context.CancellationToken)
        && !(HttpRetryPolicy.RetryAfter(outcome.Result, time.GetUtcNow()) > options.MaxRetryDelay);
}
