using System.Globalization;
using System.Text;

namespace Defender.Mssp.ClusterBench;

/// <summary>The parse-only baseline: the silo's pages fetched into memory, then parsed with System.Text.Json.</summary>
internal sealed record ParseResult
{
    public int Pages { get; init; }

    public long Bytes { get; init; }

    public long Records { get; init; }

    /// <summary>How many batches of at most 256 MB the pages were held and timed in.</summary>
    public int Batches { get; init; }

    public double FetchSeconds { get; init; }

    public double ParseSeconds { get; init; }

    public double RecordsPerSecond => Records / ParseSeconds;

    public double FetchAndParseRecordsPerSecond => Records / (FetchSeconds + ParseSeconds);
}

/// <summary>The serve-only baseline: the silo's pages fetched again as many at once as the silo fetches, then thrown away.</summary>
internal sealed record ServeResult
{
    public int Pages { get; init; }

    public long Bytes { get; init; }

    /// <summary>Pages in flight at once: the silo's <c>Polling:MaxConcurrentBacklogSlices</c>.</summary>
    public int Concurrency { get; init; }

    public double Seconds { get; init; }

    /// <summary>The bench process's CPU meanwhile: the simulator serving, and the client reading and discarding.</summary>
    public double BenchCpuSeconds { get; init; }
}

/// <summary>The figures of one throughput run, as JSON and as a markdown report.</summary>
internal sealed record ThroughputResult
{
    public int Tenants { get; init; } = 1;

    /// <summary>The backlog asked for per tenant (<c>--Backlog</c>).</summary>
    public int BacklogPerTenant { get; init; }

    /// <summary>The backlog in all tenants, as the simulator generated it.</summary>
    public long Backlog { get; init; }

    public long Delivered { get; init; }

    public long SinkBytes { get; init; }

    public int ApiCalls { get; init; }

    public double EndToEndSeconds { get; init; }

    public double RecordsPerSecond => Delivered / EndToEndSeconds;

    /// <summary>The end-to-end rate shared out over the tenants, which were polled at once.</summary>
    public double RecordsPerSecondPerTenant => RecordsPerSecond / Tenants;

    public double SiloCpuSeconds { get; init; }

    /// <summary>
    /// The bench process's CPU over the same span as <see cref="SiloCpuSeconds"/>: the in-process simulator generating
    /// and serving the pages, and the bench's count of the sink's lines every 200 ms.
    /// </summary>
    public double BenchCpuSeconds { get; init; }

    /// <summary>The silo's CPU from the sample where half the records were on disk to the end.</summary>
    public double SecondHalfCpuSeconds { get; init; }

    public long SecondHalfRecords { get; init; }

    public long SiloRssBeforeKb { get; init; }

    public long SiloPeakRssKb { get; init; }

    public required Dictionary<string, long> StorageRequests { get; init; }

    public double AzuriteCpuSeconds { get; init; }

    /// <summary>The largest state blob seen (probed once a second): the checkpoint grows with the records delivered in a window.</summary>
    public long LargestStateBlobBytes { get; init; }

    /// <summary>State blob writes (Put Blob under <c>state/</c>).</summary>
    public long StateWrites => StorageRequests.Where(p => p.Key == "PUT state").Sum(p => p.Value);

    public double LatencyMs { get; init; }

    public required ParseResult Parse { get; init; }

    public required ServeResult Serve { get; init; }

    /// <summary>The records of the replayed pages over the serve-only seconds.</summary>
    public double ServeRecordsPerSecond => Parse.Records / Serve.Seconds;

    /// <summary>Serve-only over parse-only: the highest ratio any client of this simulator reaches on this machine.</summary>
    public double ServeRatio => ServeRecordsPerSecond / Parse.RecordsPerSecond;

    /// <summary>
    /// The CPU every process on the machine may spend per record at the target (half the parse-only rate, on all
    /// <see cref="Environment.ProcessorCount"/> cores), in µs.
    /// </summary>
    public double TargetCpuBudgetMicroseconds => Environment.ProcessorCount / (0.5 * Parse.RecordsPerSecond) * 1e6;

    /// <summary>The bench process's CPU per record while serving and discarding the pages, in µs.</summary>
    public double ServeCpuMicroseconds => Serve.BenchCpuSeconds / Math.Max(1, Parse.Records) * 1e6;

    /// <summary>End to end over serve-only: the share of what the simulator can serve that the silo turned into records on disk.</summary>
    public double RatioToServe => RecordsPerSecond / ServeRecordsPerSecond;

    /// <summary>Seconds to write the sink's bytes again, in the silo's batches, each fsynced: the disk's share.</summary>
    public double WriteOnlySeconds { get; init; }

    public int WriteOnlyBatches { get; init; }

    public double WriteOnlyRecordsPerSecond => Delivered / WriteOnlySeconds;

    /// <summary>End-to-end records/s over the parse-only records/s of the same pages (target ≥ 0.5).</summary>
    public double Ratio => RecordsPerSecond / Parse.RecordsPerSecond;

    public double RatioToFetchAndParse => RecordsPerSecond / Parse.FetchAndParseRecordsPerSecond;

    public string ToMarkdown(string machine)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"### Throughput: {Tenants:N0} tenant(s) × {BacklogPerTenant:N0} SIEM alerts of backlog each ({Backlog:N0} in all) — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | ---: |");
        s.AppendLine(c, $"| records on disk (JSON Lines, fsynced) / backlog, all tenants | {Delivered:N0} / {Backlog:N0} |");
        s.AppendLine(c, $"| silo's first API call → last record on disk | {EndToEndSeconds:F1} s ({ApiCalls} API calls) |");
        s.AppendLine(c, $"| **end to end, all tenants together** | **{RecordsPerSecond:N0} records/s** |");
        if (Tenants > 1)
        {
            s.AppendLine(c, $"| end to end per tenant (the above ÷ {Tenants:N0}; all polled at once) | {RecordsPerSecondPerTenant:N0} records/s |");
        }

        s.AppendLine(c, $"| silo CPU over the run | {SiloCpuSeconds:F1} s ({1000 * SiloCpuSeconds / Math.Max(1, Delivered) * 1000:F0} µs per record) |");
        s.AppendLine(c, $"| silo CPU over the second half of the records (JIT settled) | {SecondHalfCpuSeconds:F1} s ({1000 * SecondHalfCpuSeconds / Math.Max(1, SecondHalfRecords) * 1000:F0} µs per record) |");
        s.AppendLine(c, $"| the bench process's CPU over the same span (the simulator generating and serving the pages; the bench's sink line count) | {BenchCpuSeconds:F1} s ({1000 * BenchCpuSeconds / Math.Max(1, Delivered) * 1000:F0} µs per record) |");
        s.AppendLine(c, $"| silo resident memory: before the first poll / peak | {SiloRssBeforeKb / 1024.0:F0} MB / {SiloPeakRssKb / 1024.0:F0} MB |");
        s.AppendLine(c, $"| sink written | {SinkBytes / 1048576.0:F0} MB |");
        s.AppendLine(c, $"| storage requests over the run (all kinds) / state blob writes | {StorageRequests.Values.Sum():N0} / {StateWrites:N0} |");
        s.AppendLine(c, $"| largest state blob seen during the run (probed once a second; one-tenant runs only) | {LargestStateBlobBytes / 1024.0:N0} KB |");
        s.AppendLine(c, $"| Azurite CPU over the run | {AzuriteCpuSeconds:F1} s |");
        s.AppendLine(c, $"| baseline: the same {Parse.Pages} pages ({Parse.Bytes / 1048576.0:F0} MB, {Parse.Records:N0} records) parsed in memory, best of 3{(Parse.Batches > 1 ? $" per batch of ≤ 256 MB ({Parse.Batches} batches)" : "")} | {Parse.ParseSeconds:F2} s = {Parse.RecordsPerSecond:N0} records/s |");
        s.AppendLine(c, $"| baseline: fetching them again from the simulator | {Parse.FetchSeconds:F1} s |");
        s.AppendLine(c, $"| baseline: the same pages fetched again {Serve.Concurrency} at a time, as the silo fetches, and thrown away (bench CPU {Serve.BenchCpuSeconds:F1} s) | {Serve.Seconds:F1} s = {ServeRecordsPerSecond:N0} records/s |");
        s.AppendLine(c, $"| baseline: the sink's {SinkBytes / 1048576.0:F0} MB written again to the same disk in {WriteOnlyBatches:N0} batches, each fsynced | {WriteOnlySeconds:F1} s = {WriteOnlyRecordsPerSecond:N0} records/s |");
        s.AppendLine(c, $"| **ratio end to end / parse-only** (target ≥ 0.5) | **{Ratio:F3}** |");
        s.AppendLine(c, $"| ratio end to end / (fetch + parse) | {RatioToFetchAndParse:F2} |");
        s.AppendLine(c, $"| ratio serve-only / parse-only: the highest any client of this simulator reaches here | {ServeRatio:F3} |");
        s.AppendLine(c, $"| CPU per record the target leaves every process together ({Environment.ProcessorCount} cores ÷ half the parse-only rate) / spent serving and discarding alone | {TargetCpuBudgetMicroseconds:F1} µs / {ServeCpuMicroseconds:F1} µs |");
        s.AppendLine(c, $"| **ratio end to end / serve-only**: the silo's share of what the simulator can serve | **{RatioToServe:F2}** |");
        s.AppendLine();
        s.AppendLine("Storage requests by kind:");
        s.AppendLine();
        s.AppendLine("| request | count |");
        s.AppendLine("| --- | ---: |");
        foreach (var (kind, count) in StorageRequests.OrderByDescending(p => p.Value))
        {
            s.AppendLine(c, $"| `{kind}` | {count:N0} |");
        }

        s.AppendLine();
        s.AppendLine(c, $"Settings: {Tenants} tenant(s), SIEM source only, a day of alerts visible at once and nothing new, simulator latency {LatencyMs:0} ms, "
            + $"silo settings from the environment: {SiloOverrides()}; "
            + $"product defaults otherwise (SIEM page limit 10,000 with window splitting, request budget of 100 SIEM calls a minute, "
            + $"slices of about 9,000 records, 500 records per sink batch, a checkpoint after each).");
        s.AppendLine();
        s.AppendLine(c, $"Machine: {machine}.");
        return s.ToString();
    }

    /// <summary>The product settings the silo inherited from the bench's environment (<c>Polling__…</c>, <c>Defender__…</c>).</summary>
    private static string SiloOverrides()
    {
        var overrides = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(key => key.StartsWith("Polling__", StringComparison.Ordinal) || key.StartsWith("Defender__", StringComparison.Ordinal))
            .OrderBy(key => key, StringComparer.Ordinal)
            .Select(key => $"`{key.Replace("__", ":", StringComparison.Ordinal)}={Environment.GetEnvironmentVariable(key)}`")
            .ToList();
        return overrides.Count == 0 ? "none" : string.Join(", ", overrides);
    }
}
