using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Runtime.Cluster;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One silo id for everything that names the silo: its heartbeat and leases (<c>Cluster:SiloId</c>), the
/// <c>X-Mssp-Silo-Id</c> header on API calls (<c>Defender:SiloId</c>), and the owner recorded in tenant state. The
/// first of <c>Cluster:SiloId</c>, <c>Silo:SiloId</c> and <c>Defender:SiloId</c> that is set wins; with none, a
/// unique id (host name, process id, random suffix) is made up. The heartbeat's endpoint (<c>Cluster:Endpoint</c>)
/// defaults to the first configured URL (<c>ASPNETCORE_URLS</c>) unless that asks for a dynamic port.
/// </summary>
public static class SiloIdentity
{
    public const string SiloSectionKey = "Silo:SiloId";

    public static string AddSiloIdentity(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var clusterKey = $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.SiloId)}";
        var defenderKey = $"{DefenderClientOptions.SectionName}:{nameof(DefenderClientOptions.SiloId)}";
        var siloId = new[] { configuration[clusterKey], configuration[SiloSectionKey], configuration[defenderKey] }
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value))
            ?? new ClusterOptions().SiloId;
        configuration[clusterKey] = configuration[SiloSectionKey] = configuration[defenderKey] = siloId;

        var endpointKey = $"{ClusterOptions.SectionName}:{nameof(ClusterOptions.Endpoint)}";
        if (string.IsNullOrWhiteSpace(configuration[endpointKey])
            && configuration[WebHostDefaults.ServerUrlsKey]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault() is { } url
            && !url.EndsWith(":0", StringComparison.Ordinal))
        {
            configuration[endpointKey] = url;
        }

        return siloId;
    }
}
