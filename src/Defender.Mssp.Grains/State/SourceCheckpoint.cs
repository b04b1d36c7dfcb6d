using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.State;

/// <summary>
/// How far one source of one tenant has been delivered. Every record version with a last-update time before
/// <see cref="Watermark"/> has been delivered, and so has every key in <see cref="Seen"/>; the next query starts an
/// overlap before the watermark and <see cref="Seen"/> keeps the records in that overlap from being delivered twice.
/// </summary>
public sealed class SourceCheckpoint
{
    /// <summary>
    /// Every new version before this time has been delivered: the end of the last window (or slice of one) read and
    /// delivered completely, or, in the middle of one, the time of the last record the sink acknowledged. Null before
    /// the first delivery or completed window.
    /// </summary>
    public DateTimeOffset? Watermark { get; set; }

    /// <summary>
    /// Record versions already delivered whose time lies inside the overlap before the watermark (or at it): as many
    /// keys as one overlap holds, however long the window.
    /// </summary>
    public List<RecordKey> Seen { get; set; } = [];

    public long RecordsDelivered { get; set; }

    /// <summary>When a poll of this source last completed without error.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }

    public TenantHealth Health { get; set; } = TenantHealth.Unknown;

    public TenantError? LastError { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>After a failure the source is not polled again before this time (backoff, Retry-After).</summary>
    public DateTimeOffset? RetryNotBefore { get; set; }
}
