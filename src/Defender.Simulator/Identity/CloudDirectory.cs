using System.Collections.Frozen;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Identity;

/// <summary>Which cloud(s) a request's host belongs to (<see cref="SimulatedCloudOptions"/>), and what that allows.</summary>
internal sealed class CloudDirectory
{
    private readonly FrozenDictionary<string, string[]> _cloudsByHost;
    private readonly FrozenDictionary<string, string[]> _resourcesByHost;

    public CloudDirectory(IOptions<SimulatorOptions> options)
    {
        var clouds = options.Value.Clouds ?? [];
        _cloudsByHost = clouds
            .SelectMany(cloud => (cloud.Value?.Hosts ?? []).Select(host => (Host: host.Trim(), Cloud: cloud.Key)))
            .Where(pair => pair.Host.Length > 0)
            .GroupBy(pair => pair.Host, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.Select(pair => pair.Cloud).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(), StringComparer.OrdinalIgnoreCase);
        _resourcesByHost = _cloudsByHost.ToFrozenDictionary(
            pair => pair.Key,
            pair => pair.Value.SelectMany(cloud => clouds[cloud]?.Resources ?? []).Select(r => r.TrimEnd('/')).Distinct(StringComparer.OrdinalIgnoreCase).ToArray(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The clouds <paramref name="host"/> belongs to; empty when it belongs to none.</summary>
    public IReadOnlyList<string> CloudsOf(string host) => _cloudsByHost.GetValueOrDefault(host) ?? [];

    /// <summary>Narrows <paramref name="audiences"/> to the resources of <paramref name="host"/>'s clouds (unchanged for an unmapped host).</summary>
    public IReadOnlyCollection<string> AudiencesAt(string? host, IReadOnlyCollection<string> audiences) =>
        host is not null && _resourcesByHost.TryGetValue(host, out var resources)
            ? [.. audiences.Where(a => resources.Contains(a.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))]
            : audiences;

    /// <summary>Whether a token endpoint on <paramref name="host"/> may issue a token for <paramref name="resource"/>.</summary>
    public bool Issues(string host, string resource) =>
        !_resourcesByHost.TryGetValue(host, out var resources) || resources.Contains(resource.TrimEnd('/'), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a tenant of <paramref name="tenantCloud"/> signs in at <paramref name="host"/> (any tenant at an unmapped host).</summary>
    public bool SignsIn(string host, string? tenantCloud) =>
        tenantCloud is null || !_cloudsByHost.TryGetValue(host, out var clouds) || clouds.Contains(tenantCloud, StringComparer.OrdinalIgnoreCase);
}
