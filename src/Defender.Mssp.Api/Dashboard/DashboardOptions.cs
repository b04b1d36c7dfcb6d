using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Dashboard;

/// <summary>
/// The operator dashboard (configuration section <c>Api:Dashboard</c>): whether it is served, how often the API samples
/// the fleet for its history, and how much history it keeps in memory.
/// </summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Api:Dashboard";

    /// <summary>
    /// Half the default shortest poll interval (<c>Api:Tenants:MinPollInterval</c>, 30 s), so the sampler sees nearly
    /// every poll a tenant completes.
    /// </summary>
    public static readonly TimeSpan DefaultSampleInterval = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan DefaultMaxSnapshotAge = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan DefaultRefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DefaultHistoryWindow = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultBucketWidth = TimeSpan.FromMinutes(1);

    public const int DefaultMaxErrorsPerTenant = 20;

    public const int DefaultMaxConcurrentReads = 16;

    /// <summary>The most buckets a history may have (a day of minutes), to bound memory.</summary>
    public const int MaxBuckets = 1_440;

    /// <summary>Whether <c>/</c> serves the dashboard and <c>/dashboard/…</c> its data; off leaves only the JSON API.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the API reads the fleet's state for the history, whether anyone watches or not.</summary>
    public TimeSpan SampleInterval { get; set; } = DefaultSampleInterval;

    /// <summary>
    /// How old a fleet snapshot may be before a dashboard read refreshes it; every viewer within this age shares one
    /// read of storage.
    /// </summary>
    public TimeSpan MaxSnapshotAge { get; set; } = DefaultMaxSnapshotAge;

    /// <summary>How often the page asks for new data (told to it at login).</summary>
    public TimeSpan RefreshInterval { get; set; } = DefaultRefreshInterval;

    /// <summary>How far back the charts reach.</summary>
    public TimeSpan HistoryWindow { get; set; } = DefaultHistoryWindow;

    /// <summary>The width of one bar of the charts.</summary>
    public TimeSpan BucketWidth { get; set; } = DefaultBucketWidth;

    /// <summary>Distinct errors kept per tenant for its detail view (repeats of the latest one are counted, not kept).</summary>
    [Range(1, 1_000, ErrorMessage = "Api:Dashboard:MaxErrorsPerTenant must be between 1 and 1000.")]
    public int MaxErrorsPerTenant { get; set; } = DefaultMaxErrorsPerTenant;

    /// <summary>Blob reads in flight at once while reading the fleet.</summary>
    [Range(1, 256, ErrorMessage = "Api:Dashboard:MaxConcurrentReads must be between 1 and 256.")]
    public int MaxConcurrentReads { get; set; } = DefaultMaxConcurrentReads;

    /// <summary>How many buckets the history holds.</summary>
    public int BucketCount => (int)(HistoryWindow.Ticks / BucketWidth.Ticks);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SampleInterval < TimeSpan.FromSeconds(1) || SampleInterval > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult("Api:Dashboard:SampleInterval must be between 1 second and 1 hour.", [nameof(SampleInterval)]);
        }

        if (MaxSnapshotAge < TimeSpan.Zero || MaxSnapshotAge > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Api:Dashboard:MaxSnapshotAge must be between 0 and 5 minutes.", [nameof(MaxSnapshotAge)]);
        }

        if (RefreshInterval < TimeSpan.FromSeconds(1) || RefreshInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult("Api:Dashboard:RefreshInterval must be between 1 second and 5 minutes.", [nameof(RefreshInterval)]);
        }

        if (BucketWidth < TimeSpan.FromSeconds(1)
            || HistoryWindow < BucketWidth
            || HistoryWindow.Ticks % BucketWidth.Ticks != 0
            || BucketCount > MaxBuckets)
        {
            yield return new ValidationResult(
                $"Api:Dashboard:HistoryWindow must be a whole number (at most {MaxBuckets}) of Api:Dashboard:BucketWidth, which must be at least 1 second.",
                [nameof(HistoryWindow), nameof(BucketWidth)]);
        }
    }
}
