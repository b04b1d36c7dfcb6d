namespace Defender.Mssp.ClusterBench;

/// <summary>
/// What to measure, from the command line (<c>--Tenants=1000 --Silos=3 --PollInterval=00:01:00</c> …). Cluster
/// timings left unset are the product's defaults, which is what the figures are about.
/// </summary>
public sealed class BenchOptions
{
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
}
