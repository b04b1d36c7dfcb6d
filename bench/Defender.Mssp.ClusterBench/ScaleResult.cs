using System.Globalization;
using System.Text;

namespace Defender.Mssp.ClusterBench;

/// <summary>Schedule lag figures in seconds.</summary>
internal sealed record LagFigures(int Samples, double P50, double P99, double Max, double Min, int Over2Seconds)
{
    public static LagFigures Of(IReadOnlyList<double> sorted) => sorted.Count == 0
        ? new LagFigures(0, double.NaN, double.NaN, double.NaN, double.NaN, 0)
        : new LagFigures(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.99), sorted[^1], sorted[0], sorted.Count(l => l > 2));

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>The figures of one scale run, as JSON and as a markdown report.</summary>
internal sealed record ScaleResult
{
    public int Tenants { get; init; }

    public int Sources { get; init; }

    public double PollInterval { get; init; }

    public double LatencyMs { get; init; }

    public double TokenLifetime { get; init; }

    /// <summary>NaN when not every tenant had been polled once within the phase timeout.</summary>
    public double AllPolledOnceSeconds { get; init; }

    public int TenantsPolledBeforeWindow { get; init; }

    public double WindowSeconds { get; init; }

    public long ApiCalls { get; init; }

    public double ScheduledCallsPerSecond { get; init; }

    public double AchievedCallsPerSecond => ApiCalls / WindowSeconds;

    public required LagFigures Lag { get; init; }

    public double SiloCpuSeconds { get; init; }

    public double SiloCpuPercentOfOneCore => 100 * SiloCpuSeconds / WindowSeconds;

    public double SiloCpuMsPerPoll => ApiCalls == 0 ? double.NaN : 1000 * SiloCpuSeconds / ApiCalls;

    /// <summary>The bench process: the in-process simulator (TLS, JSON) and the bench's own sampling.</summary>
    public double BenchCpuSeconds { get; init; }

    /// <summary>Azurite (node) serving the silo's leases, heartbeats and state.</summary>
    public double AzuriteCpuSeconds { get; init; }

    public long SiloRssKb { get; init; }

    public long SiloPeakRssKb { get; init; }

    public long EmptySiloRssKb { get; init; }

    public double RssKbPerTenant => (SiloRssKb - EmptySiloRssKb) / (double)Tenants;

    /// <summary>The silo's runtime counters over the window (with <c>--Counters</c>).</summary>
    public RuntimeCounters? Runtime { get; init; }

    public RuntimeCounters? EmptySiloRuntime { get; init; }

    public double SecondsSinceSiloStart { get; init; }

    public double TokenRequestsPerTenantMean { get; init; }

    public long TokenRequestsPerTenantMax { get; init; }

    /// <summary>
    /// The token requests a tenant needs at most: one per resource (incidents, SIEM) to begin with, then one each time
    /// a token comes within <see cref="TokenRenewBefore"/> of its expiry (tokens are renewed, not served, from then on,
    /// as MSAL does), so a new one every lifetime less that margin.
    /// </summary>
    public double TokenRequestsExpected =>
        Sources * (1 + Math.Floor(SecondsSinceSiloStart / Math.Max(1, TokenLifetime - TokenRenewBefore.TotalSeconds)));

    /// <summary>The silo's margin before a token's expiry (<c>AccessTokenCache.RenewBefore</c>, MSAL's own).</summary>
    private static readonly TimeSpan TokenRenewBefore = TimeSpan.FromMinutes(5);

    public required Dictionary<string, long> StorageRequests { get; init; }

    /// <summary>Records the sink received in the window: none when every poll in it was an idle tenant's.</summary>
    public long RecordsDeliveredInWindow { get; init; }

    public long StorageRequestsTotal => StorageRequests.Values.Sum();

    public double StorageRequestsPerPoll => ApiCalls == 0 ? double.NaN : StorageRequestsTotal / (double)ApiCalls;

    /// <summary>Writes of state blobs (Put Blob under <c>state/</c>) in the window: an idle tenant's poll should cause none.</summary>
    public long StateWrites => StorageRequests.Where(p => p.Key.StartsWith("PUT state", StringComparison.Ordinal) && !p.Key.Contains("comp=", StringComparison.Ordinal)).Sum(p => p.Value);

    /// <summary>In steady state every tenant is polled again within the interval plus the largest lag.</summary>
    public double SiloRoundSeconds => PollInterval + Math.Max(0, Lag.Max);

    public required BaselineResult Baseline { get; init; }

    public double RoundRatio => Baseline.RoundSecondsForAll / SiloRoundSeconds;

    public string ToMarkdown(string machine)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"### Scale: {Tenants:N0} tenants × {Sources} sources on one silo — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| figure | value |");
        s.AppendLine("| --- | ---: |");
        s.AppendLine(double.IsNaN(AllPolledOnceSeconds)
            ? $"| silo start → every tenant polled once on both sources | not reached: {TenantsPolledBeforeWindow:N0} of {Tenants:N0} by the phase timeout |"
            : string.Create(c, $"| silo start → every tenant polled once on both sources | {AllPolledOnceSeconds:F1} s |"));
        s.AppendLine(c, $"| steady-state window | {WindowSeconds:F0} s |");
        s.AppendLine(c, $"| source polls (API calls) per second: achieved / scheduled | {AchievedCallsPerSecond:F2} / {ScheduledCallsPerSecond:F2} |");
        s.AppendLine(c, $"| schedule lag p50 / p99 / max ({Lag.Samples:N0} turns) | {Lag.P50:F3} / {Lag.P99:F3} / {Lag.Max:F3} s |");
        s.AppendLine(c, $"| turns more than 2 s late | {Lag.Over2Seconds:N0} |");
        s.AppendLine(c, $"| silo CPU (share of one core) | {SiloCpuPercentOfOneCore:F1} % |");
        s.AppendLine(c, $"| silo CPU per source poll | {SiloCpuMsPerPoll:F2} ms |");
        s.AppendLine(c, $"| bench process CPU (the simulator serving the polls) | {100 * BenchCpuSeconds / WindowSeconds:F1} % |");
        s.AppendLine(c, $"| Azurite CPU (share of one core) | {100 * AzuriteCpuSeconds / WindowSeconds:F1} % |");
        s.AppendLine(c, $"| silo resident memory (end of window; peak) | {SiloRssKb / 1024.0:F0} MB; {SiloPeakRssKb / 1024.0:F0} MB |");
        s.AppendLine(c, $"| silo with no tenants, resident | {EmptySiloRssKb / 1024.0:F0} MB |");
        s.AppendLine(c, $"| **resident memory per tenant** ((silo − empty silo) / N) | **{RssKbPerTenant:F1} KB** |");
        if (Runtime is { } r)
        {
            var empty = EmptySiloRuntime;
            s.AppendLine(c, $"| GC heap after the last collection: silo / empty silo | {r.HeapBytes / 1048576:F1} MB / {(empty?.HeapBytes ?? double.NaN) / 1048576:F1} MB |");
            s.AppendLine(c, $"| **GC heap per tenant** ((silo − empty silo) / N) | **{(r.HeapBytes - (empty?.HeapBytes ?? 0)) / 1024 / Tenants:F1} KB** |");
            s.AppendLine(c, $"| GC committed memory: silo / empty silo | {r.CommittedBytes / 1048576:F1} MB / {(empty?.CommittedBytes ?? double.NaN) / 1048576:F1} MB |");
            s.AppendLine(c, $"| bytes allocated per source poll | {r.AllocatedBytesPerSecond / AchievedCallsPerSecond / 1024:F1} KB |");
            s.AppendLine(c, $"| timers in the silo: with N tenants / with none | {r.Timers:N0} / {empty?.Timers ?? double.NaN:N0} |");
            s.AppendLine(c, $"| GC collections in the window: gen0 / gen2 | {r.Gen0Collections:N0} / {r.Gen2Collections:N0} |");
        }

        s.AppendLine(c, $"| token requests per tenant in {SecondsSinceSiloStart / 60:F1} min (mean / max; needed at most: {TokenRequestsExpected:F0}) | {TokenRequestsPerTenantMean:F2} / {TokenRequestsPerTenantMax} |");
        s.AppendLine(c, $"| storage requests per source poll (Azurite, all kinds) | {StorageRequestsPerPoll:F2} |");
        s.AppendLine(c, $"| records delivered in the window / state blob writes in it (idle tenants: 0 / 0) | {RecordsDeliveredInWindow:N0} / {StateWrites:N0} |");
        s.AppendLine(c, $"| baseline poller: round over {Baseline.TenantsPolled:N0} tenants | {Baseline.RoundSeconds:F1} s |");
        s.AppendLine(c, $"| baseline round scaled to {Tenants:N0} tenants / silo round (interval + max lag) | {Baseline.RoundSecondsForAll:F1} s / {SiloRoundSeconds:F1} s |");
        s.AppendLine(c, $"| **round-time ratio, baseline / silo** | **{RoundRatio:F2}** |");
        s.AppendLine();
        s.AppendLine("Storage requests in the window by kind (method, blob-name prefix, `comp`):");
        s.AppendLine();
        s.AppendLine("| request | count | per source poll |");
        s.AppendLine("| --- | ---: | ---: |");
        foreach (var (kind, count) in StorageRequests.OrderByDescending(p => p.Value))
        {
            s.AppendLine(c, $"| `{kind}` | {count:N0} | {count / (double)Math.Max(1, ApiCalls):F3} |");
        }

        s.AppendLine();
        s.AppendLine(c, $"Settings: poll interval {PollInterval:0} s without jitter, simulator latency {LatencyMs:0} ms on the token endpoint and both APIs, "
            + $"token lifetime {TokenLifetime:0} s (renewed 5 min before expiry), product defaults otherwise (lease 30 s renewed every 10 s, heartbeat 5 s, balancing 5 s).");
        s.AppendLine();
        s.AppendLine(c, $"Machine: {machine}.");
        return s.ToString();
    }
}
