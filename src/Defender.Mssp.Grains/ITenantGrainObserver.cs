namespace Defender.Mssp.Grains;

/// <summary>
/// Hears about each completed turn of every tenant grain: the seam for metrics and activity tracing. Called on the
/// grain's turn, so implementations must be quick and must not block; an exception is logged and otherwise ignored.
/// </summary>
public interface ITenantGrainObserver
{
    void OnPollCompleted(TenantPollResult result);

    /// <summary>The tenant's grain deactivated: this silo no longer polls it (until it activates it again).</summary>
    void OnDeactivated(string tenantId)
    {
    }
}
