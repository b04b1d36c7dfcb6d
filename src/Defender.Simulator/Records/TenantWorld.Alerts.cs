using System.Globalization;

namespace Defender.Simulator.Records;

/// <summary>The successor APIs' views of the world: alerts (Defender for Endpoint, Graph) and Graph incidents.</summary>
internal sealed partial class TenantWorld
{
    private AlertTimeline? _alerts;

    /// <summary>The version of every alert <paramref name="feed"/> serves now, in (created, id) order.</summary>
    public List<AlertVersion> VisibleAlerts(DateTimeOffset now, AlertFeed feed)
    {
        lock (_gate)
        {
            var stop = Horizon(now);
            return AlertsThrough(stop).Visible(_incidents.Plans, stop, now, feed);
        }
    }

    /// <summary>For each incident, the alerts it holds in the version served (what <c>$expand=alerts</c> lists).</summary>
    public List<IReadOnlyList<AlertVersion>> AlertsOf(IReadOnlyList<VisibleIncident> incidents, DateTimeOffset now)
    {
        lock (_gate)
        {
            var alerts = AlertsThrough(Horizon(now));
            return [.. incidents.Select(i => alerts.OfIncident(i.Plan, i.Version.Number))];
        }
    }

    /// <summary>Every alert version <paramref name="feed"/> has generated up to now (visible or not yet).</summary>
    public List<TruthEntry> AlertTruth(DateTimeOffset now, AlertFeed feed, bool includeRecords)
    {
        List<AlertVersion> versions;
        lock (_gate)
        {
            var stop = Horizon(now);
            versions = AlertsThrough(stop).Truth(stop, feed);
        }

        return
        [
            .. versions.Select(v => new TruthEntry(
                v.AlertId, v.LastUpdateTime, v.VisibleAt, v.VisibleAt <= now, v.Number,
                includeRecords ? ToNode(w => WriteAlert(w, feed, AlertContentBuilder.Build(Profile, v))) : null)),
        ];
    }

    /// <summary>Every incident version generated up to now, keyed as Graph serves it (the id as text).</summary>
    public List<TruthEntry> GraphIncidentTruth(DateTimeOffset now, bool includeRecords)
    {
        List<IncidentPlan> plans;
        DateTimeOffset stop;
        lock (_gate)
        {
            stop = Horizon(now);
            _incidents.MaterialiseThrough(stop);
            plans = [.. _incidents.Plans.TakeWhile(p => p.CreatedTime <= stop)];
        }

        var entries = new List<TruthEntry>();
        foreach (var plan in plans)
        {
            foreach (var version in plan.Versions.Where(v => v.LastUpdateTime <= stop))
            {
                var record = includeRecords
                    ? ToNode(w => GraphIncidentJsonWriter.Write(w, Profile, IncidentStateBuilder.Build(Profile, plan, version.Number), null))
                    : null;
                entries.Add(new TruthEntry(
                    plan.IncidentId.ToString(CultureInfo.InvariantCulture), version.LastUpdateTime, version.VisibleAt,
                    version.VisibleAt <= now, version.Number, record));
            }
        }

        return entries;
    }

    /// <summary>Writes an alert as <paramref name="feed"/>'s API does, evidence included.</summary>
    public void WriteAlert(System.Text.Json.Utf8JsonWriter writer, AlertFeed feed, AlertContent alert)
    {
        if (feed == AlertFeed.Endpoint)
        {
            EndpointAlertJsonWriter.Write(writer, Profile, alert, withEvidence: true);
        }
        else
        {
            GraphAlertJsonWriter.Write(writer, Profile, alert);
        }
    }

    private AlertTimeline AlertsThrough(DateTimeOffset stop)
    {
        _incidents.MaterialiseThrough(stop);
        _siem.MaterialiseThrough(stop);
        _alerts ??= new AlertTimeline(Profile, Generator);
        _alerts.CatchUp(_incidents.Plans, _siem.Plans);
        return _alerts;
    }
}
