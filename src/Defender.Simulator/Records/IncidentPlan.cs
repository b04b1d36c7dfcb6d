namespace Defender.Simulator.Records;

/// <summary>
/// The schedule of one incident: its id, seed, creation and every version it will ever have. The JSON of each version
/// is rendered from the seed on demand, so a tenant holds only these small plans in memory.
/// </summary>
internal sealed record IncidentPlan(int IncidentId, ulong Seed, DateTimeOffset CreatedTime, IncidentVersion[] Versions);

/// <summary>One version of an incident: when it was updated and when the API starts returning it.</summary>
/// <param name="Number">0 for the incident as created, then 1 and 2 for later updates.</param>
internal readonly record struct IncidentVersion(int Number, DateTimeOffset LastUpdateTime, DateTimeOffset VisibleAt);

/// <summary>
/// The schedule of one SIEM detection (immutable once it exists). Detections of a multi-part alert share
/// <see cref="AlertSeed"/> and so their AlertId, and differ in <see cref="Part"/> and IocUniqueId.
/// </summary>
internal sealed record SiemAlertPlan(
    ulong AlertSeed,
    int Part,
    DateTimeOffset AlertTime,
    DateTimeOffset LastProcessedTime,
    DateTimeOffset VisibleAt,
    int DeviceIndex)
{
    /// <summary>The FullId (AlertId:IocUniqueId), the key the product stores SIEM records by.</summary>
    public string FullId { get; init; } = "";
}
