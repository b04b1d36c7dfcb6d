namespace Defender.Simulator.Records;

/// <summary>
/// A tenant's SIEM detections, materialised lazily bucket by bucket, in AlertTime order. Not thread-safe;
/// <see cref="TenantWorld"/> serialises access.
/// </summary>
internal sealed class SiemAlertTimeline(TenantProfile profile, ResolvedGenerator generator)
{
    private readonly ArrivalSchedule _schedule = new(
        DeterministicRandom.Derive(generator.Seed, "siem"), generator.Origin, generator.Settings.SiemAlertsPerMinute);

    private readonly List<SiemAlertPlan> _plans = [];
    private long _nextBucket;

    public IReadOnlyList<SiemAlertPlan> Plans => _plans;

    public void MaterialiseThrough(DateTimeOffset horizon)
    {
        var last = _schedule.BucketAt(horizon);
        for (; _nextBucket <= last; _nextBucket++)
        {
            foreach (var arrival in _schedule.Arrivals(_nextBucket))
            {
                AddDetections(arrival);
            }
        }
    }

    private void AddDetections(Arrival arrival)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(arrival.Seed, "detections"));
        var parts = random.Chance(generator.Settings.SiemMultiDetectionShare) ? 2 : 1;
        var device = random.Next(profile.Devices.Count);
        var alertId = SiemIds.AlertId(arrival.Seed, arrival.Time);
        for (var part = 0; part < parts; part++)
        {
            // The exporter processes detections a little after the alert; LastProcessedTimeUtc is the cursor field.
            var processed = arrival.Time + random.NextTimeSpan(TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(3));
            _plans.Add(new SiemAlertPlan(arrival.Seed, part, arrival.Time, processed, processed + generator.VisibilityDelay(random), device)
            {
                FullId = SiemIds.FullId(alertId, SiemIds.IocUniqueId(arrival.Seed, part)),
            });
        }
    }
}
