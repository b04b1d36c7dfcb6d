namespace Defender.Simulator.Records;

/// <summary>
/// One version of an alert as the alerts APIs (Defender for Endpoint <c>/api/alerts</c>, Graph <c>alerts_v2</c>)
/// serve it. Alerts are updated in place: every change (a second detection, an analyst's review, a status the incident
/// passed down, a move into the incident that absorbed its own) is a new version with a later
/// <see cref="LastUpdateTime"/>. The content is rendered on demand from the origin the version points at.
/// </summary>
/// <param name="AlertId">The alert id both APIs use (the SIEM API's AlertId for detections).</param>
/// <param name="Number">0 for the alert as raised, then 1, 2, … per change.</param>
/// <param name="CreatedTime">When the alert was raised: fixed for all versions, so it orders pages stably.</param>
/// <param name="LastUpdateTime">lastUpdateTime (Defender for Endpoint) / lastUpdateDateTime (Graph): the cursor field.</param>
/// <param name="DueAt">When the change happened in the world; a version after the generator's stop time never exists.</param>
/// <param name="VisibleAt">From when the APIs serve this version (if it is still the latest).</param>
/// <param name="OnEndpoint">Whether Defender for Endpoint raised it, i.e. whether <c>/api/alerts</c> serves it.</param>
internal sealed record AlertVersion(
    string AlertId,
    int Number,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdateTime,
    DateTimeOffset DueAt,
    DateTimeOffset VisibleAt,
    bool OnEndpoint)
{
    /// <summary>The incident the alert belongs to, for alerts of incidents.</summary>
    public IncidentPlan? Incident { get; init; }

    /// <summary>The first incident version whose content this alert version reflects.</summary>
    public int IncidentVersion { get; init; }

    /// <summary>The incident the alert belongs to in this version: its own, or the one that absorbed it.</summary>
    public int? IncidentId { get; init; }

    /// <summary>The detections behind the alert, for alerts the SIEM API exported.</summary>
    public DetectionGroup? Detections { get; init; }

    /// <summary>How many of <see cref="Detections"/> the alert holds in this version.</summary>
    public int DetectionCount { get; init; }

    /// <summary>The analyst's review of a detection alert (status, classification), once it happened.</summary>
    public AlertReview? Review { get; init; }

    /// <summary>Whether the version belongs to the feed; Graph serves every alert.</summary>
    public bool IsIn(AlertFeed feed) => feed == AlertFeed.Graph || OnEndpoint;
}

/// <summary>An analyst's later update of an alert that came from the SIEM stream.</summary>
internal sealed record AlertReview(string Status, string? Classification, string? Determination, string AssignedTo, DateTimeOffset Time);
