namespace Defender.Simulator.Records;

/// <summary>
/// A tenant's incidents, materialised lazily: plans are appended bucket by bucket up to the time asked for, and
/// never change afterwards. Not thread-safe; <see cref="TenantWorld"/> serialises access.
/// </summary>
internal sealed class IncidentTimeline(TenantProfile profile, ResolvedGenerator generator)
{
    private readonly ArrivalSchedule _schedule = new(
        DeterministicRandom.Derive(generator.Seed, "incidents"), generator.Origin, generator.Settings.IncidentsPerMinute);

    private readonly List<IncidentPlan> _plans = [];
    private long _nextBucket;

    /// <summary>All plans created up to the last materialised time, in incident id order.</summary>
    public IReadOnlyList<IncidentPlan> Plans => _plans;

    public void MaterialiseThrough(DateTimeOffset horizon)
    {
        var last = _schedule.BucketAt(horizon);
        for (; _nextBucket <= last; _nextBucket++)
        {
            foreach (var arrival in _schedule.Arrivals(_nextBucket))
            {
                _plans.Add(Plan(profile.IncidentIdBase + _plans.Count, arrival));
            }
        }
    }

    private IncidentPlan Plan(int incidentId, Arrival arrival)
    {
        var settings = generator.Settings;
        var random = new DeterministicRandom(DeterministicRandom.Derive(arrival.Seed, "versions"));
        var versionCount = random.Chance(settings.UpdatedIncidentShare) ? (random.Chance(0.5) ? 3 : 2) : 1;
        var versions = new IncidentVersion[versionCount];

        // Like the example in the docs, lastUpdateTime trails createdTime by a fraction of a second.
        var updated = arrival.Time + random.NextTimeSpan(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500));
        var maxGap = settings.MaxUpdateDelay > TimeSpan.FromMinutes(1) ? settings.MaxUpdateDelay : TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1);
        for (var v = 0; v < versionCount; v++)
        {
            if (v > 0)
            {
                updated += random.NextTimeSpan(TimeSpan.FromMinutes(1), maxGap);
            }

            versions[v] = new IncidentVersion(v, updated, updated + generator.VisibilityDelay(random));
        }

        return new IncidentPlan(incidentId, arrival.Seed, arrival.Time, versions);
    }
}
