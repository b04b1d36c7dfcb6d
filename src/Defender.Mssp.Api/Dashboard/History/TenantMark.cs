namespace Defender.Mssp.Api.Dashboard.History;

/// <summary>What the history last saw of one tenant, to tell what happened since.</summary>
internal sealed class TenantMark
{
    public long RecordsDelivered { get; set; }

    public DateTimeOffset? LastPollCompletedAt { get; set; }

    /// <summary>The time of the newest error already logged, so each is logged once.</summary>
    public DateTimeOffset? LastErrorAt { get; set; }

    public DateTimeOffset SeenAt { get; set; }

    public RecentErrors? Errors { get; set; }
}
