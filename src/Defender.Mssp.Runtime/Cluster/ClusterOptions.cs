using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// How a silo takes part in the cluster (configuration section <c>Cluster</c>): who it is, how long its tenant leases
/// last and how often it renews them, how often it balances tenants and writes its heartbeat. Validated when the host
/// starts; every rule names the setting it concerns.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string SectionName = "Cluster";

    public const string DefaultSiloPrefix = "silos/";

    public const int DefaultMaxConcurrentLeaseOperations = 16;

    /// <summary>
    /// Enough for 10,000 leases renewed every 10 s (1,000 renewals/s) at up to ~60 ms per request; when storage is
    /// faster, renewals spread over the period keep only a few in flight.
    /// </summary>
    public const int DefaultMaxConcurrentLeaseRenewals = 64;

    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultLeaseRenewalPeriod = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultLeaseSafetyMargin = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultBalancingInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultHeartbeatInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultSiloStaleAfter = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan DefaultActivationStopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Azure Blob Storage accepts fixed leases of 15 to 60 seconds.</summary>
    public static readonly TimeSpan MinimumLeaseDuration = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan MaximumLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Below this a loop would mostly be busy talking to storage.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Unique per silo process; part of a blob name (<c>silos/{SiloId}.json</c>).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$",
        ErrorMessage = "Cluster:SiloId must be 1-100 letters, digits, dots, hyphens or underscores.")]
    public string SiloId { get; set; } = DefaultSiloId();

    /// <summary>Where this silo can be reached (for the operator's cluster view); informational only.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The build this silo runs, shown in its heartbeat.</summary>
    public string Version { get; set; } = DefaultVersion();

    /// <summary>Blob name prefix of the heartbeats: <c>{SiloPrefix}{SiloId}.json</c>.</summary>
    [Required]
    public string SiloPrefix { get; set; } = DefaultSiloPrefix;

    /// <summary>How long a tenant lease lasts without renewal: 15–60 s.</summary>
    public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration;

    /// <summary>
    /// How long after its previous renewal started each held lease is renewed again; less than half the lease duration,
    /// so a failed renewal can be retried (a quarter period later) before the lease is given up.
    /// </summary>
    public TimeSpan LeaseRenewalPeriod { get; set; } = DefaultLeaseRenewalPeriod;

    /// <summary>
    /// How long before the lease would expire (counted on the local monotonic clock from the last renewal's start) the
    /// silo gives the tenant up when renewals keep failing: time to abort the activation before another silo can
    /// acquire the lease, and slack for clock-rate differences.
    /// </summary>
    public TimeSpan LeaseSafetyMargin { get; set; } = DefaultLeaseSafetyMargin;

    /// <summary>How often the silo lists tenants and leases and claims or releases to reach its fair share.</summary>
    public TimeSpan BalancingInterval { get; set; } = DefaultBalancingInterval;

    /// <summary>How often the silo rewrites its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = DefaultHeartbeatInterval;

    /// <summary>
    /// A heartbeat older than this marks its silo dead (and any silo deletes it). At least two heartbeat intervals, and
    /// at most the lease duration: a dead silo must stop counting towards the fair share by the time its leases expire,
    /// or the survivors would leave its tenants unclaimed.
    /// </summary>
    public TimeSpan SiloStaleAfter { get; set; } = DefaultSiloStaleAfter;

    /// <summary>How long a graceful stop of one activation (finish or abort the turn, persist) may take.</summary>
    public TimeSpan ActivationStopTimeout { get; set; } = DefaultActivationStopTimeout;

    /// <summary>How many lease acquisitions (claims) run at once.</summary>
    [Range(1, 256, ErrorMessage = "Cluster:MaxConcurrentLeaseOperations must be between 1 and 256.")]
    public int MaxConcurrentLeaseOperations { get; set; } = DefaultMaxConcurrentLeaseOperations;

    /// <summary>
    /// How many lease renewals run at once. Each lease is renewed when due (one <see cref="LeaseRenewalPeriod"/> after
    /// its last renewal started), so this caps the catch-up after a slow spell rather than the steady rate; a silo
    /// owning N tenants needs roughly N ÷ period × storage latency renewals in flight.
    /// </summary>
    [Range(1, 1024, ErrorMessage = "Cluster:MaxConcurrentLeaseRenewals must be between 1 and 1024.")]
    public int MaxConcurrentLeaseRenewals { get; set; } = DefaultMaxConcurrentLeaseRenewals;

    /// <summary>The longest a lease stays valid after its last successful renewal started, by the local clock.</summary>
    internal TimeSpan LeaseValidity => LeaseDuration - LeaseSafetyMargin;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration < MinimumLeaseDuration || LeaseDuration > MaximumLeaseDuration)
        {
            yield return Error($"Cluster:LeaseDuration must be between 15 and 60 seconds (Azure Storage's limits); it is {LeaseDuration}.",
                nameof(LeaseDuration));
        }

        if (LeaseRenewalPeriod <= TimeSpan.Zero || LeaseRenewalPeriod * 2 >= LeaseDuration)
        {
            yield return Error($"Cluster:LeaseRenewalPeriod must be positive and less than half of Cluster:LeaseDuration ({LeaseDuration}); it is {LeaseRenewalPeriod}.",
                nameof(LeaseRenewalPeriod));
        }

        if (LeaseSafetyMargin < TimeSpan.Zero || LeaseRenewalPeriod + LeaseSafetyMargin >= LeaseDuration)
        {
            yield return Error($"Cluster:LeaseSafetyMargin must be zero or more and, added to Cluster:LeaseRenewalPeriod, less than Cluster:LeaseDuration; it is {LeaseSafetyMargin}.",
                nameof(LeaseSafetyMargin));
        }

        foreach (var (name, value) in new[]
                 {
                     (nameof(BalancingInterval), BalancingInterval),
                     (nameof(HeartbeatInterval), HeartbeatInterval),
                     (nameof(ActivationStopTimeout), ActivationStopTimeout),
                 })
        {
            if (value < MinimumInterval || value > TimeSpan.FromHours(1))
            {
                yield return Error($"Cluster:{name} must be between 100 ms and 1 hour; it is {value}.", name);
            }
        }

        if (SiloStaleAfter < HeartbeatInterval * 2 || SiloStaleAfter > LeaseDuration)
        {
            yield return Error($"Cluster:SiloStaleAfter must be at least two Cluster:HeartbeatInterval ({HeartbeatInterval}) and at most Cluster:LeaseDuration ({LeaseDuration}); it is {SiloStaleAfter}.",
                nameof(SiloStaleAfter));
        }
    }

    private static ValidationResult Error(string message, string member) => new(message, [member]);

    private static string DefaultSiloId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    private static string DefaultVersion() =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ClusterOptions).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
