namespace Defender.Mssp.Sinks;

/// <summary>
/// The destination did not take the batch within the sink's bounded retries (down, overloaded, throttling, timing
/// out). Nothing was acknowledged; the grain keeps its checkpoint and delivers the batch again later.
/// </summary>
public sealed class SinkUnavailableException(string sinkName, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
    : SinkException(sinkName, message, innerException)
{
    public override bool IsTransient => true;

    /// <summary>How long the destination asked callers to wait (HTTP 429/503 <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
