using Defender.AppHost.Hosting;
using Defender.Mssp.Defender.Configuration;

namespace Defender.AppHost.Demo;

/// <summary>How the demo's simulator and silos are told about the demo tenants and about each other.</summary>
public static class DemoConfiguration
{
    /// <summary>Registers the tenants, their apps and secrets, and a lively generator in the simulator.</summary>
    public static ProjectResource WithDemoTenants(this ProjectResource simulator, IReadOnlyList<DemoTenant> tenants)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(tenants);
        for (var i = 0; i < tenants.Count; i++)
        {
            var prefix = $"Simulator__Tenants__{i}__";
            simulator.WithEnvironment(prefix + "TenantId", tenants[i].TenantId)
                .WithEnvironment(prefix + "DisplayName", tenants[i].DisplayName)
                .WithEnvironment(prefix + "Apps__0__ClientId", tenants[i].ClientId)
                .WithEnvironment(prefix + "Apps__0__Secrets__0__Value", tenants[i].ClientSecret)
                .WithEnvironment(prefix + "Generator__IncidentsPerMinute", "6")
                .WithEnvironment(prefix + "Generator__SiemAlertsPerMinute", "12");
        }

        return simulator;
    }

    /// <summary>Points every Defender endpoint of every cloud at the simulator, and trusts its certificate.</summary>
    public static ProjectResource WithDefenderEndpointsAt(this ProjectResource silo, ProjectResource simulator, string trustedPem)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(simulator);
        foreach (var (key, _) in DefenderEndpointsConfiguration.AllAt(new Uri("https://placeholder")))
        {
            silo.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), () => simulator.Endpoints[0].ToString().TrimEnd('/'));
        }

        return silo.WithEnvironment("Defender__Http__TrustedCertificatesPath", trustedPem).WaitFor(simulator);
    }
}
