using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>Configuration entries that move every endpoint of every cloud to one host, e.g. the simulator.</summary>
public static class DefenderEndpointsConfiguration
{
    /// <summary>The XDR API's regions with a regional host in the commercial cloud.</summary>
    public static IReadOnlyList<string> XdrRegions { get; } = ["us", "eu", "uk", "au"];

    /// <summary>
    /// Keys and values (<c>Defender:Commercial:AuthorityHost</c> = <paramref name="baseUrl"/>, …) for an in-memory
    /// configuration source; for environment variables replace <c>:</c> by <c>__</c>. Token resources are left alone:
    /// they are audiences, not addresses, and the simulator checks them as Entra ID would.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> AllAt(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var url = baseUrl.ToString().TrimEnd('/');
        foreach (var cloud in Enum.GetNames<DefenderCloud>())
        {
            var prefix = $"{DefenderEndpointsOptions.SectionName}:{cloud}:";
            yield return new(prefix + nameof(DefenderCloudEndpoints.AuthorityHost), url);
            yield return new(prefix + nameof(DefenderCloudEndpoints.XdrApiBase), url);
            yield return new(prefix + nameof(DefenderCloudEndpoints.EndpointApiBase), url);
            yield return new(prefix + nameof(DefenderCloudEndpoints.GraphBase), url);
            foreach (var region in new[] { "eu", "us", "uk" })
            {
                yield return new($"{prefix}{nameof(DefenderCloudEndpoints.SiemBases)}:{region}", url);
            }

            foreach (var region in XdrRegions)
            {
                yield return new($"{prefix}{nameof(DefenderCloudEndpoints.XdrRegionalBases)}:{region}", url);
            }
        }
    }
}
