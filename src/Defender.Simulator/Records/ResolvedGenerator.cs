using Defender.Simulator.Tenants;

namespace Defender.Simulator.Records;

/// <summary>
/// A tenant's generator settings with the seed and start time fixed, copied so later edits to the definition cannot
/// change a world that already exists.
/// </summary>
internal sealed class ResolvedGenerator
{
    public ResolvedGenerator(Guid tenantId, GeneratorSettings settings, DateTimeOffset now)
    {
        Seed = settings.Seed is { } seed ? unchecked((ulong)seed) : SeedFromTenant(tenantId);
        StartTime = settings.StartTime ?? now;
        Settings = new GeneratorSettings
        {
            Seed = unchecked((long)Seed),
            StartTime = StartTime,
            History = settings.History < TimeSpan.Zero ? TimeSpan.Zero : settings.History,
            IncidentsPerMinute = Math.Max(0, settings.IncidentsPerMinute),
            SiemAlertsPerMinute = Math.Max(0, settings.SiemAlertsPerMinute),
            VisibilityDelay = settings.VisibilityDelay < TimeSpan.Zero ? TimeSpan.Zero : settings.VisibilityDelay,
            VisibilityJitter = settings.VisibilityJitter < TimeSpan.Zero ? TimeSpan.Zero : settings.VisibilityJitter,
            UpdatedIncidentShare = Math.Clamp(settings.UpdatedIncidentShare, 0, 1),
            MaxUpdateDelay = settings.MaxUpdateDelay,
            SiemMultiDetectionShare = Math.Clamp(settings.SiemMultiDetectionShare, 0, 1),
            UpdatedAlertShare = Math.Clamp(settings.UpdatedAlertShare, 0, 1),
            MachineGroups = [.. settings.MachineGroups.Where(g => !string.IsNullOrWhiteSpace(g))],
            DeviceCount = Math.Clamp(settings.DeviceCount, 1, 10_000),
            StopTime = settings.StopTime,
        };
    }

    public ulong Seed { get; }

    public DateTimeOffset StartTime { get; }

    /// <summary>The earliest time a record can have: start − history.</summary>
    public DateTimeOffset Origin => StartTime - Settings.History;

    /// <summary>The effective settings (seed and start time filled in).</summary>
    public GeneratorSettings Settings { get; }

    /// <summary>A copy of the effective settings with the current stop time, for the admin API.</summary>
    public GeneratorSettings Snapshot(DateTimeOffset? stopTime, IReadOnlyList<string> machineGroups) => new()
    {
        Seed = Settings.Seed,
        StartTime = Settings.StartTime,
        History = Settings.History,
        IncidentsPerMinute = Settings.IncidentsPerMinute,
        SiemAlertsPerMinute = Settings.SiemAlertsPerMinute,
        VisibilityDelay = Settings.VisibilityDelay,
        VisibilityJitter = Settings.VisibilityJitter,
        UpdatedIncidentShare = Settings.UpdatedIncidentShare,
        MaxUpdateDelay = Settings.MaxUpdateDelay,
        SiemMultiDetectionShare = Settings.SiemMultiDetectionShare,
        UpdatedAlertShare = Settings.UpdatedAlertShare,
        MachineGroups = [.. machineGroups],
        DeviceCount = Settings.DeviceCount,
        StopTime = stopTime,
    };

    /// <summary>Draws one record version's delay between its time field and its visibility.</summary>
    public TimeSpan VisibilityDelay(DeterministicRandom random) =>
        Settings.VisibilityDelay + TimeSpan.FromTicks((long)(Settings.VisibilityJitter.Ticks * random.NextDouble()));

    private static ulong SeedFromTenant(Guid tenantId)
    {
        Span<byte> bytes = stackalloc byte[16];
        tenantId.TryWriteBytes(bytes);
        return DeterministicRandom.Derive(BitConverter.ToUInt64(bytes), BitConverter.ToUInt64(bytes[8..]));
    }
}
