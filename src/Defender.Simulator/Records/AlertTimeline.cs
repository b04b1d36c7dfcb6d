namespace Defender.Simulator.Records;

/// <summary>
/// A tenant's alerts as the alerts APIs see them, derived from the same plans as the incidents and the SIEM
/// detections, so one generator and one ground truth cover every API. Alerts of incidents change when their incident
/// does (status, classification, assignment) and move to the absorbing incident on a merge; alerts of SIEM detections
/// gain their later detections and, for a share of them, an analyst's review. Not thread-safe; <see cref="TenantWorld"/>
/// serialises access.
/// </summary>
internal sealed class AlertTimeline(TenantProfile profile, ResolvedGenerator generator)
{
    /// <summary>An alert moved into the absorbing incident is updated just before the absorbed incident's version.</summary>
    private static readonly TimeSpan MoveLead = TimeSpan.FromMilliseconds(20);

    private static readonly string[] Determinations = ["Malware", "SecurityTesting", "UnwantedSoftware", "Other"];

    private readonly List<AlertVersion[]> _byIncident = [];
    private readonly List<AlertVersion[]> _byAlert = [];
    private int _detectionCursor;

    /// <summary>Derives the alerts of plans materialised since the last call; plans never change once made.</summary>
    public void CatchUp(IReadOnlyList<IncidentPlan> incidents, IReadOnlyList<SiemAlertPlan> detections)
    {
        for (var i = _byIncident.Count; i < incidents.Count; i++)
        {
            _byIncident.Add(FromIncident(incidents[i]));
        }

        // The SIEM timeline appends all detections of one alert together, so a group is never split across calls.
        while (_detectionCursor < detections.Count)
        {
            var end = _detectionCursor + 1;
            while (end < detections.Count && detections[end].AlertSeed == detections[_detectionCursor].AlertSeed)
            {
                end++;
            }

            _byAlert.Add(FromDetections(new DetectionGroup([.. detections.Skip(_detectionCursor).Take(end - _detectionCursor)])));
            _detectionCursor = end;
        }
    }

    /// <summary>
    /// The version of every alert the feed serves now, ordered by (created, id): the order pages are cut in, stable
    /// while alerts change because the creation time never does.
    /// </summary>
    public List<AlertVersion> Visible(IReadOnlyList<IncidentPlan> incidents, DateTimeOffset stop, DateTimeOffset now, AlertFeed feed)
    {
        var visible = new List<AlertVersion>();
        for (var i = 0; i < incidents.Count && i < _byIncident.Count; i++)
        {
            if (ServedVersion(incidents[i], stop, now) is { } served)
            {
                visible.AddRange(CurrentAt(_byIncident[i], served).Where(a => a.IsIn(feed)));
            }
        }

        foreach (var versions in _byAlert)
        {
            if (versions.LastOrDefault(v => v.DueAt <= stop && v.VisibleAt <= now) is { } current && current.IsIn(feed))
            {
                visible.Add(current);
            }
        }

        visible.Sort(ByCreation);
        return visible;
    }

    /// <summary>The alerts an incident holds in the given version, as the alerts APIs describe them then.</summary>
    public IReadOnlyList<AlertVersion> OfIncident(IncidentPlan plan, int incidentVersion) =>
        plan.IncidentId - profile.IncidentIdBase is var index && index >= 0 && index < _byIncident.Count
            ? CurrentAt(_byIncident[index], incidentVersion)
            : [];

    /// <summary>Every alert version of the feed that exists by <paramref name="stop"/>, visible or not yet.</summary>
    public List<AlertVersion> Truth(DateTimeOffset stop, AlertFeed feed)
    {
        var all = _byIncident.Concat(_byAlert).SelectMany(v => v).Where(v => v.DueAt <= stop && v.IsIn(feed)).ToList();
        all.Sort(ByCreation);
        return all;
    }

    /// <summary>The incident version the incidents API serves now (the same rule as <see cref="TenantWorld.VisibleIncidents"/>).</summary>
    public static int? ServedVersion(IncidentPlan plan, DateTimeOffset stop, DateTimeOffset now)
    {
        for (var v = plan.Versions.Length - 1; v >= 0; v--)
        {
            if (plan.Versions[v].LastUpdateTime <= stop && plan.Versions[v].VisibleAt <= now)
            {
                return v;
            }
        }

        return null;
    }

    private static List<AlertVersion> CurrentAt(AlertVersion[] versions, int incidentVersion)
    {
        // Versions are in incident-version order: the last one of each alert up to the given version is current.
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        var ordered = new List<AlertVersion>();
        foreach (var version in versions)
        {
            if (version.IncidentVersion > incidentVersion)
            {
                break;
            }

            if (current.TryGetValue(version.AlertId, out var at))
            {
                ordered[at] = version;
            }
            else
            {
                current[version.AlertId] = ordered.Count;
                ordered.Add(version);
            }
        }

        return ordered;
    }

    private AlertVersion[] FromIncident(IncidentPlan plan)
    {
        var versions = new List<AlertVersion>();
        var current = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var v = 0; v < plan.Versions.Length; v++)
        {
            var incident = plan.Versions[v];
            var state = IncidentStateBuilder.Build(profile, plan, v);
            var incidentId = state.RedirectIncidentId ?? plan.IncidentId;
            foreach (var alert in state.Alerts)
            {
                var previous = current.TryGetValue(alert.AlertId, out var at) ? versions[at] : null;
                var time = alert.LastUpdatedTime;
                if (previous is not null && previous.IncidentId != incidentId && time < incident.LastUpdateTime - MoveLead)
                {
                    time = incident.LastUpdateTime - MoveLead;
                }

                if (previous is not null && time <= previous.LastUpdateTime)
                {
                    // Unchanged: the version stays current, and is served as soon as any incident version holding it is.
                    if (incident.VisibleAt < previous.VisibleAt)
                    {
                        versions[at] = previous with { VisibleAt = incident.VisibleAt };
                    }

                    continue;
                }

                current[alert.AlertId] = versions.Count;
                versions.Add(new AlertVersion(
                    alert.AlertId, previous is null ? 0 : previous.Number + 1, alert.CreationTime, time, incident.LastUpdateTime,
                    incident.VisibleAt, alert.Template.ServiceSource == AlertNames.EndpointServiceSource)
                {
                    Incident = plan,
                    IncidentVersion = v,
                    IncidentId = incidentId,
                });
            }
        }

        return [.. versions];
    }

    private AlertVersion[] FromDetections(DetectionGroup group)
    {
        var versions = new List<AlertVersion>();
        for (var i = 0; i < group.Detections.Count; i++)
        {
            var detection = group.Detections[i];
            if (versions.Count > 0 && detection.LastProcessedTime <= versions[^1].LastUpdateTime)
            {
                // Processed at the same instant as the previous detection: one change, not two.
                versions[^1] = versions[^1] with { DetectionCount = i + 1 };
                continue;
            }

            versions.Add(new AlertVersion(
                group.AlertId, versions.Count, group.First.AlertTime, detection.LastProcessedTime, detection.LastProcessedTime,
                detection.VisibleAt, OnEndpoint: true)
            {
                Detections = group,
                DetectionCount = i + 1,
            });
        }

        var random = new DeterministicRandom(DeterministicRandom.Derive(group.First.AlertSeed, "alert-review"));
        if (random.Chance(generator.Settings.UpdatedAlertShare))
        {
            var last = versions[^1];
            var maxGap = generator.Settings.MaxUpdateDelay > TimeSpan.FromMinutes(1)
                ? generator.Settings.MaxUpdateDelay
                : TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
            var time = last.LastUpdateTime + random.NextTimeSpan(TimeSpan.FromMinutes(1), maxGap);
            var analyst = $"secop{random.Next(1, 6)}@{profile.Domain}";
            var resolved = random.Chance(0.5);
            var truePositive = random.Chance(0.6);
            var review = resolved
                ? new AlertReview("Resolved", truePositive ? "TruePositive" : "FalsePositive",
                    truePositive ? random.Pick(Determinations) : "Other", analyst, time)
                : new AlertReview("InProgress", null, null, analyst, time);
            versions.Add(last with
            {
                Number = last.Number + 1,
                LastUpdateTime = time,
                DueAt = time,
                VisibleAt = time + generator.VisibilityDelay(random),
                Review = review,
            });
        }

        return [.. versions];
    }

    private static int ByCreation(AlertVersion a, AlertVersion b)
    {
        var byTime = a.CreatedTime.CompareTo(b.CreatedTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.AlertId, b.AlertId);
    }
}
