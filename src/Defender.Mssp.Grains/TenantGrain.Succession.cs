using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Grains;

public sealed partial class TenantGrain
{
    // The settings whose sources were last checked for successors (turn-only).
    private TenantSettings? _successionCheckedFor;

    /// <summary>
    /// Once per settings the grain runs with (after activation, after each update), before any source is read: a
    /// successor source the tenant now names continues from its predecessor's watermark (<see cref="SourceSuccession"/>).
    /// Checking before the turn's reads, not during them, keeps a tenant configured with both from the start on its
    /// initial look-back for each.
    /// </summary>
    private void ContinueSuccessors(TenantSettings settings)
    {
        if (ReferenceEquals(settings, _successionCheckedFor))
        {
            return;
        }

        _successionCheckedFor = settings;
        foreach (var source in settings.Sources.Distinct(StringComparer.Ordinal))
        {
            if (SourceSuccession.Continue(source, _state.State.Sources) is { } predecessor)
            {
                _unsaved = true;
                _logger.SourceContinued(TenantId, source, predecessor, _state.State.Sources[source].Watermark);
            }
        }
    }
}
