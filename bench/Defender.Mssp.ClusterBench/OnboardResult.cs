using System.Globalization;
using System.Text;

namespace Defender.Mssp.ClusterBench;

/// <summary>One <c>POST /tenants/bulk</c>: rows sent, created, rejected, and how long the API took to answer.</summary>
internal sealed record BulkRequestFigures(int Rows, int Created, int Rejected, double Seconds);

/// <summary>
/// A silo over the onboarding run: tenants owned at the end (null when the membership table could not be read: a
/// saturated Azurite times the bench's reads out), CPU used, resident memory before, after and at peak.
/// </summary>
internal sealed record SiloFigures(string Name, int? OwnedTenants, double CpuSeconds, long RssBeforeKb, long RssAfterKb, long PeakRssKb);

/// <summary>The figures of one bulk-onboarding run, as JSON and as a markdown report. Times are from the first bulk request.</summary>
internal sealed record OnboardResult
{
    public int Tenants { get; init; }

    public int Silos { get; init; }

    /// <summary><c>json</c> or <c>csv</c>.</summary>
    public required string Format { get; init; }

    public int ChunkSize { get; init; }

    public required IReadOnlyList<BulkRequestFigures> Requests { get; init; }

    public int Created => Requests.Sum(r => r.Created);

    public int Rejected => Requests.Sum(r => r.Rejected);

    /// <summary>From the first bulk request sent to the last one answered.</summary>
    public double BulkSeconds { get; init; }

    public double AcceptedPerSecond => Created / BulkSeconds;

    /// <summary>Until the silos' heartbeats together own every tenant.</summary>
    public double OwnedSeconds { get; init; }

    /// <summary>Until the bench saw every tenant polled (checked once a second).</summary>
    public double AllPolledSeconds { get; init; }

    /// <summary>Until the last tenant's first API call, from the simulator's call log.</summary>
    public double LastFirstPollSeconds { get; init; }

    /// <summary>Each tenant's first API call after the answer to the request that created it: median.</summary>
    public double FirstPollAfterAcceptedP50 { get; init; }

    public double FirstPollAfterAcceptedP95 { get; init; }

    public double FirstPollAfterAcceptedMax { get; init; }

    /// <summary>The API's CPU during the bulk requests.</summary>
    public double ApiCpuBulkSeconds { get; init; }

    /// <summary>The API's CPU from the first bulk request until every tenant was polled (its dashboard sampling included).</summary>
    public double ApiCpuSeconds { get; init; }

    public long ApiRssBeforeKb { get; init; }

    public long ApiRssAfterKb { get; init; }

    public long ApiPeakRssKb { get; init; }

    public required IReadOnlyList<SiloFigures> SiloFigures { get; init; }

    public required Dictionary<string, long> StorageRequests { get; init; }

    public TimeSpan PollInterval { get; init; }

    public string ToMarkdown(string machine)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"### Bulk onboarding: {Tenants:N0} tenants through the API onto {Silos} silo(s) — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | ---: |");
        s.AppendLine(c, $"| `POST /tenants/bulk` requests ({Format.ToUpperInvariant()}, ≤ {ChunkSize:N0} rows each, one after another) | {Requests.Count} |");
        s.AppendLine(c, $"| tenants created / rejected | {Created:N0} / {Rejected:N0} |");
        s.AppendLine(c, $"| **bulk requests, first sent → last answered** | **{BulkSeconds:F1} s = {AcceptedPerSecond:N0} tenants/s** |");
        s.AppendLine(c, $"| slowest request | {Requests.Max(r => r.Seconds):F1} s ({Requests.MaxBy(r => r.Seconds)!.Rows:N0} rows) |");
        s.AppendLine(c, $"| first request sent → silos own every tenant (heartbeats) | {OwnedSeconds:F1} s |");
        s.AppendLine(c, $"| **first request sent → last tenant polled once** | **{LastFirstPollSeconds:F1} s** |");
        s.AppendLine(c, $"| a tenant's request answered → its first poll: median / 95th percentile / max | {FirstPollAfterAcceptedP50:F1} / {FirstPollAfterAcceptedP95:F1} / {FirstPollAfterAcceptedMax:F1} s |");
        s.AppendLine(c, $"| API CPU: during the bulk requests / until every tenant was polled | {ApiCpuBulkSeconds:F1} s / {ApiCpuSeconds:F1} s |");
        s.AppendLine(c, $"| API resident memory: before / after / peak | {ApiRssBeforeKb / 1024.0:F0} / {ApiRssAfterKb / 1024.0:F0} / {ApiPeakRssKb / 1024.0:F0} MB |");
        foreach (var silo in SiloFigures)
        {
            s.AppendLine(c, $"| {silo.Name}: tenants owned at the end, CPU, memory before / after / peak | {(silo.OwnedTenants is { } owned ? owned.ToString("N0", c) : "— (membership unreadable)")}, {silo.CpuSeconds:F1} s, {silo.RssBeforeKb / 1024.0:F0} / {silo.RssAfterKb / 1024.0:F0} / {silo.PeakRssKb / 1024.0:F0} MB |");
        }

        s.AppendLine(c, $"| storage requests over the run (all kinds) | {StorageRequests.Values.Sum():N0} |");
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
        s.AppendLine(c, $"Settings: the silos started with no tenants; each tenant has incidents and SIEM (a record a minute each), poll interval "
            + $"{PollInterval.TotalSeconds:0} s (a new owner's first poll comes at a random point within one interval), product defaults otherwise "
            + $"(API: 5,000 rows and 4 MiB per bulk request, 8 tenants written at once).");
        s.AppendLine();
        s.AppendLine(c, $"Machine: {machine}.");
        return s.ToString();
    }
}
