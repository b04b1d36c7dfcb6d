namespace Defender.Simulator.Tenants;

/// <summary>
/// Parameters of a tenant's deterministic record generator. Records are a pure function of these settings and time:
/// the same seed and start time give the same records, however often the simulator restarts.
/// </summary>
public sealed class GeneratorSettings
{
    /// <summary>Default backlog: records exist from two hours before the start, so a first poll finds some.</summary>
    public static readonly TimeSpan DefaultHistory = TimeSpan.FromHours(2);

    /// <summary>Default minimum delay between a record's time field and the moment the API starts serving it.</summary>
    public static readonly TimeSpan DefaultVisibilityDelay = TimeSpan.FromSeconds(10);

    /// <summary>Default extra random delay (0 to this) on top of <see cref="DefaultVisibilityDelay"/>.</summary>
    public static readonly TimeSpan DefaultVisibilityJitter = TimeSpan.FromSeconds(20);

    /// <summary>Default longest gap between an incident's consecutive versions.</summary>
    public static readonly TimeSpan DefaultMaxUpdateDelay = TimeSpan.FromMinutes(30);

    /// <summary>Default incidents created per minute.</summary>
    public const double DefaultIncidentsPerMinute = 1;

    /// <summary>Default SIEM alerts (detections) per minute.</summary>
    public const double DefaultSiemAlertsPerMinute = 2;

    /// <summary>Default share of incidents that get one or two later versions.</summary>
    public const double DefaultUpdatedIncidentShare = 0.3;

    /// <summary>Default share of SIEM alerts reported as two detections (same AlertId, different IocUniqueId).</summary>
    public const double DefaultSiemMultiDetectionShare = 0.2;

    /// <summary>Default share of SIEM-exported alerts that the alerts APIs later show reviewed (status, classification).</summary>
    public const double DefaultUpdatedAlertShare = 0.3;

    /// <summary>Default number of devices in a tenant.</summary>
    public const int DefaultDeviceCount = 12;

    /// <summary>Seed of the generator; derived from the tenant id when absent.</summary>
    public long? Seed { get; set; }

    /// <summary>The generator's start; the moment the tenant is added when absent. Records exist from start − history.</summary>
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>How far before the start records already exist.</summary>
    public TimeSpan History { get; set; } = DefaultHistory;

    /// <summary>Mean incidents created per minute (Poisson arrivals; fractions allowed; 0 for none).</summary>
    public double IncidentsPerMinute { get; set; } = DefaultIncidentsPerMinute;

    /// <summary>Mean SIEM alerts per minute (Poisson arrivals; fractions allowed; 0 for none).</summary>
    public double SiemAlertsPerMinute { get; set; } = DefaultSiemAlertsPerMinute;

    /// <summary>Minimum delay between a record version's time field and its visibility in the API.</summary>
    public TimeSpan VisibilityDelay { get; set; } = DefaultVisibilityDelay;

    /// <summary>Extra per-record random delay, uniform in [0, this], so records arrive out of order.</summary>
    public TimeSpan VisibilityJitter { get; set; } = DefaultVisibilityJitter;

    /// <summary>Share (0–1) of incidents updated after creation (status, classification, a joining alert, a merge).</summary>
    public double UpdatedIncidentShare { get; set; } = DefaultUpdatedIncidentShare;

    /// <summary>Longest gap between consecutive versions of an incident (at least one minute).</summary>
    public TimeSpan MaxUpdateDelay { get; set; } = DefaultMaxUpdateDelay;

    /// <summary>Share (0–1) of SIEM alerts that come as two detections of one alert.</summary>
    public double SiemMultiDetectionShare { get; set; } = DefaultSiemMultiDetectionShare;

    /// <summary>
    /// Share (0–1) of the alerts behind SIEM detections that an analyst reviews later: the alerts APIs (Defender for
    /// Endpoint, Graph) serve the review as a new version; the SIEM API, whose records are immutable, does not.
    /// </summary>
    public double UpdatedAlertShare { get; set; } = DefaultUpdatedAlertShare;

    /// <summary>The tenant's device groups (SIEM <c>MachineGroup</c>); a small default set when empty.</summary>
    public List<string> MachineGroups { get; set; } = [];

    /// <summary>How many devices the tenant has; alerts are spread over them.</summary>
    public int DeviceCount { get; set; } = DefaultDeviceCount;

    /// <summary>After this time nothing new is generated and no incident changes; none when absent.</summary>
    public DateTimeOffset? StopTime { get; set; }
}
