namespace Defender.Mssp.Grains.State;

/// <summary>What one turn of a tenant's poll achieved, over all its sources.</summary>
public enum PollOutcome
{
    /// <summary>Every source polled without error and none had anything new.</summary>
    NothingNew,

    /// <summary>Every source polled without error and at least one delivered records.</summary>
    Delivered,

    /// <summary>Some sources failed, others were polled successfully.</summary>
    PartiallyFailed,

    /// <summary>Every source that was due failed, or the checkpoint could not be saved.</summary>
    Failed,

    /// <summary>No source was due: all are backing off after failures.</summary>
    Deferred,

    /// <summary>The tenant is paused; nothing was read.</summary>
    Paused,
}
