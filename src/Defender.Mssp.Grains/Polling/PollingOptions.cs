using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Grains.Polling;

/// <summary>How tenant grains window, batch and schedule their polls. Bound from the <c>Polling</c> section.</summary>
public sealed class PollingOptions : IValidatableObject
{
    public const string SectionName = "Polling";

    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultIngestionDelay = TimeSpan.FromMinutes(1);
    public const int DefaultMaxBatchSize = 500;

    /// <summary>
    /// Just under the SIEM API's page (<c>Defender:SiemPageLimit</c>, 10,000 by default): that API has no paging, so a
    /// slice is one call unless it comes back full and is split, and a backlog under the API's 100 calls a minute is
    /// caught up in as few calls as the page allows. The tenth left over absorbs a change of density from one slice to
    /// the next; the incidents API pages at 100 whatever the slice.
    /// </summary>
    public const int DefaultSliceRecords = 9_000;

    public const int DefaultMaxConcurrentBacklogSlices = 16;
    public const double DefaultJitter = 0.1;
    public static readonly TimeSpan DefaultCheckpointMaxAge = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultInitialFailureBackoff = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DefaultMaxFailureBackoff = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultOperatorFailureInitialBackoff = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far before the watermark each query starts, so records that become visible after their timestamp (late
    /// arrivals) are still found; keys seen in the overlap are not delivered twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Overlap { get; set; } = DefaultOverlap;

    /// <summary>The upper bound of a window is now minus this delay: the newest records are left for the next poll.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan IngestionDelay { get; set; } = DefaultIngestionDelay;

    /// <summary>Records per sink delivery; a crash re-delivers at most one batch.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// About how many records a window is read in at a time: a backlog is read, delivered and checkpointed slice by
    /// slice, each slice's length sized from the density of the one before, and a read that runs past four times this is
    /// cut shorter. Memory holds one slice; ordinary windows are one slice.
    /// </summary>
    [Range(100, 1_000_000)]
    public int SliceRecords { get; set; } = DefaultSliceRecords;

    /// <summary>
    /// How many slices after the first of a window (backlog slices, the one read ahead included) all tenants of a silo
    /// may read or hold at once; the others wait their turn. The first slice of every window is not counted, so
    /// ordinary polls never wait. Bounds the memory of many tenants working through backlogs together.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentBacklogSlices { get; set; } = DefaultMaxConcurrentBacklogSlices;

    /// <summary>Fraction by which poll intervals and backoffs vary at random, so tenants do not fire together.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = DefaultJitter;

    /// <summary>
    /// A poll that found nothing new saves no state, unless the saved watermark would lag the real one by this much:
    /// it bounds how much a restarted grain reads again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointMaxAge { get; set; } = DefaultCheckpointMaxAge;

    /// <summary>Backoff after a source's first failure; it doubles with each further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InitialFailureBackoff { get; set; } = DefaultInitialFailureBackoff;

    /// <summary>The longest backoff after repeated failures (one hour by default): a failing tenant is still retried hourly.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxFailureBackoff { get; set; } = DefaultMaxFailureBackoff;

    /// <summary>
    /// Backoff after the first failure an operator must fix (AuthFailed, ConsentMissing, TenantNotFound,
    /// NeedsOperator, e.g. a 403); it doubles up to <see cref="MaxFailureBackoff"/>. Never shorter than
    /// <see cref="InitialFailureBackoff"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan OperatorFailureInitialBackoff { get; set; } = DefaultOperatorFailureInitialBackoff;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFailureBackoff < InitialFailureBackoff)
        {
            yield return new ValidationResult(
                $"{nameof(MaxFailureBackoff)} must not be less than {nameof(InitialFailureBackoff)}.",
                [nameof(MaxFailureBackoff)]);
        }
    }
}
