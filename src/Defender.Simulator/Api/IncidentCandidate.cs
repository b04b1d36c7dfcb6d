using Defender.Simulator.Records;

namespace Defender.Simulator.Api;

/// <summary>
/// An incident version being considered for a response. Its full content is built only when a filter on status or
/// assignedTo, or the response itself, needs it; time filters need only the plan.
/// </summary>
internal sealed class IncidentCandidate(TenantProfile profile, VisibleIncident incident)
{
    private IncidentState? _state;

    public DateTimeOffset CreatedTime => incident.Plan.CreatedTime;

    public DateTimeOffset LastUpdateTime => incident.Version.LastUpdateTime;

    public IncidentState State => _state ??= IncidentStateBuilder.Build(profile, incident.Plan, incident.Version.Number);
}
