namespace Defender.Mssp.Sinks;

/// <summary>
/// What an exception from <see cref="IRecordSink.DeliverAsync"/> may say about itself, so that the grain can wait the
/// right way: an outage heals by itself and is retried soon (and not before a collector's <see cref="RetryAfter"/>); a
/// refusal (a 4xx, an untrusted certificate, a bad setting) needs an operator and is retried slowly.
/// </summary>
public interface IRecordSinkFailure
{
    /// <summary>True when every failing sink may recover by itself.</summary>
    bool IsTransient { get; }

    /// <summary>The longest wait a failing sink asked for, if any.</summary>
    TimeSpan? RetryAfter { get; }
}
