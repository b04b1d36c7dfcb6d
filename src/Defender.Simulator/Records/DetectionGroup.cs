namespace Defender.Simulator.Records;

/// <summary>
/// The SIEM detections of one alert (same <see cref="SiemAlertPlan.AlertSeed"/>, so the same AlertId), in the order the
/// exporter processed them. The alerts APIs serve them as one alert that gains its later detections as new versions.
/// </summary>
internal sealed class DetectionGroup
{
    private DetectionFacts? _facts;

    public DetectionGroup(IReadOnlyList<SiemAlertPlan> detections)
    {
        Detections = [.. detections.OrderBy(d => d.LastProcessedTime).ThenBy(d => d.Part)];
        AlertId = SiemIds.AlertId(Detections[0].AlertSeed, Detections[0].AlertTime);
    }

    /// <summary>The detections, oldest processed first.</summary>
    public IReadOnlyList<SiemAlertPlan> Detections { get; }

    public string AlertId { get; }

    public SiemAlertPlan First => Detections[0];

    /// <summary>
    /// What the SIEM records of this alert say, read back from them, so the alerts APIs and the SIEM API never
    /// disagree. Computed once; a race computes the same value twice.
    /// </summary>
    public DetectionFacts Facts(TenantProfile profile) => _facts ??= DetectionFacts.Read(profile, Detections);
}
