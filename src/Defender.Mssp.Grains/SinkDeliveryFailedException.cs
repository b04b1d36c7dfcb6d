using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Sinks;

namespace Defender.Mssp.Grains;

/// <summary>
/// The tenant's sinks did not acknowledge a batch (one of them down, refusing, or misconfigured). Thrown by the grain
/// around the sink call so the failure is told apart from the source's: the tenant shows
/// <see cref="TenantHealth.SinkFailing"/>, its checkpoint stays before the batch, and the source backs off and retries.
/// </summary>
internal sealed class SinkDeliveryFailedException(string source, Exception inner)
    : Exception($"The sinks did not acknowledge a batch of source {source}: {inner.Message}", inner)
{
    public const string Code = "sink_failed";

    /// <summary>The code when the sinks refused the records (a 4xx, an untrusted certificate): an operator must act.</summary>
    public const string RefusedCode = "sink_refused";

    // Long messages (several sinks' errors) are cut: status is for people, logs keep the whole exception.
    private const int MaxMessageLength = 500;

    /// <summary>What the tenant's status shows: the sinks' message (they never carry secrets), cut to a readable length.</summary>
    public SourceFailure ToFailure()
    {
        var message = InnerException!.Message;
        var said = InnerException as IRecordSinkFailure;
        var permanent = said is { IsTransient: false };
        return new SourceFailure(
            TenantHealth.SinkFailing, permanent ? RefusedCode : Code,
            message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength), "…"),
            said?.RetryAfter, permanent);
    }
}
