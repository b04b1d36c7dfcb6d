using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>The configuration a test gives its silo processes: storage, simulator endpoints and trust, tenants, timings.</summary>
public sealed class SiloEnvironment
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public SiloEnvironment(AzuriteFixture azurite, SimulatorFixture simulator, string container, string sinkFolder)
    {
        SinkFolder = sinkFolder;
        Container = container;
        _values["Storage:ConnectionString"] = azurite.ConnectionString;
        _values["Storage:Container"] = container;
        _values["Sinks:JsonLines:Path"] = sinkFolder;
        _values["Defender:Http:TrustedCertificatesPath"] = simulator.CertificatePemPath;
        foreach (var (key, value) in DefenderEndpointsConfiguration.AllAt(simulator.BaseAddress))
        {
            _values[key] = value!;
        }

        // Test-sized timings: polls every 2 s, an overlap that covers the simulator's visibility delay.
        _values["Polling:Overlap"] = "00:01:00";
        _values["Polling:IngestionDelay"] = "00:00:02";
        _values["Polling:InitialFailureBackoff"] = "00:00:05";

        // Test-sized cluster timings: Azure's shortest lease, balancing and heartbeats every second.
        foreach (var (key, value) in ClusterTimings)
        {
            _values[key] = value;
        }
    }

    public static IReadOnlyDictionary<string, string> ClusterTimings { get; } = new Dictionary<string, string>
    {
        ["Cluster:LeaseDuration"] = "00:00:15",
        ["Cluster:LeaseRenewalPeriod"] = "00:00:05",
        ["Cluster:LeaseSafetyMargin"] = "00:00:03",
        ["Cluster:BalancingInterval"] = "00:00:01",
        ["Cluster:HeartbeatInterval"] = "00:00:01",
        ["Cluster:SiloStaleAfter"] = "00:00:05",
    };

    public static TimeSpan LeaseDuration => TimeSpan.Parse(ClusterTimings["Cluster:LeaseDuration"]);

    public static TimeSpan BalancingInterval => TimeSpan.Parse(ClusterTimings["Cluster:BalancingInterval"]);

    public string SinkFolder { get; }

    public string Container { get; }

    public SiloEnvironment Set(string key, string value)
    {
        _values[key] = value;
        return this;
    }

    public SiloEnvironment WithTenants(IReadOnlyList<TestTenant> tenants, TimeSpan interval, TimeSpan lookback)
    {
        for (var i = 0; i < tenants.Count; i++)
        {
            _values[$"Tenants:{i}:TenantId"] = tenants[i].TenantId.ToString();
            _values[$"Tenants:{i}:ClientId"] = tenants[i].ClientId;
            _values[$"Tenants:{i}:ClientSecret"] = tenants[i].ConfiguredSecret;
            _values[$"Tenants:{i}:PollInterval"] = interval.ToString("c");
            _values[$"Tenants:{i}:InitialLookback"] = lookback.ToString("c");
        }

        return this;
    }

    public IReadOnlyDictionary<string, string> With(params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>(_values, StringComparer.Ordinal);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return values;
    }
}
