namespace Defender.Mssp.ClusterBench;

/// <summary>
/// What to measure, from the command line (<c>--Scenario=scale --Tenants=1000 --PollInterval=00:01:00</c> …). Cluster
/// timings left unset are the product's defaults, which is what the figures are about.
/// </summary>
public sealed class BenchOptions
{
    /// <summary><c>failover</c> (default), <c>scale</c>, <c>throughput</c> or <c>onboard</c>.</summary>
    public string Scenario { get; set; } = "failover";

    public int Tenants { get; set; } = 1000;

    public int Silos { get; set; } = 3;

    /// <summary>Each tenant's poll interval; a new owner's first poll comes within one interval (random offset).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Optional <c>Cluster:*</c> overrides (e.g. <c>--Cluster:LeaseDuration=00:00:15</c>).</summary>
    public Dictionary<string, string> Cluster { get; set; } = [];

    /// <summary>How long any one phase may take before the bench gives up.</summary>
    public TimeSpan PhaseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Also write the markdown report to this file.</summary>
    public string? Report { get; set; }

    /// <summary>Also write the figures as JSON to this file.</summary>
    public string? Json { get; set; }

    /// <summary>Scale and throughput: the simulator's fixed answer latency on the token endpoint and both APIs.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Scale: the steady-state window over which polls, lag, CPU and storage requests are counted.</summary>
    public TimeSpan Measure { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Scale: access token lifetime in the simulator (its default, 3599 s, when unset).</summary>
    public TimeSpan? TokenLifetime { get; set; }

    /// <summary>Scale: how many tenants the sequential baseline poller goes through (all when 0); its round is scaled to N.</summary>
    public int BaselineTenants { get; set; }

    /// <summary>Path of the SDK's <c>dotnet-counters</c> tool: when given, the silo's runtime counters are read too.</summary>
    public string? Counters { get; set; }

    /// <summary>Throughput: alerts in each tenant's backlog.</summary>
    public int Backlog { get; set; } = 100_000;

    /// <summary>Throughput: how many tenants hold such a backlog.</summary>
    public int ThroughputTenants { get; set; } = 1;

    /// <summary>Onboard: tenants per <c>POST /tenants/bulk</c> (at most the API's 5,000).</summary>
    public int BulkChunk { get; set; } = OnboardBenchmark.ApiMaxBulkRows;

    /// <summary>Onboard: the bulk body, <c>json</c> (an array of tenants) or <c>csv</c>.</summary>
    public string BulkFormat { get; set; } = "json";

    /// <summary>Scale: how long the silo with no tenants runs before its memory is read.</summary>
    public TimeSpan EmptySiloWait { get; set; } = TimeSpan.FromSeconds(20);
}
