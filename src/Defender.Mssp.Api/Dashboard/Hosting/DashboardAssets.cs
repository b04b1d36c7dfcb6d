using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Defender.Mssp.Api.Dashboard.Hosting;

/// <summary>
/// The page's files (HTML, CSS, JavaScript modules, icon), embedded in this assembly so they ship with it and need no
/// content root, CDN or build step. Each carries a strong ETag of its content for conditional requests.
/// </summary>
public sealed class DashboardAssets
{
    /// <summary>The logical-name prefix of the embedded files (see the project file).</summary>
    public const string ResourcePrefix = "dashboard/";

    /// <summary>The page served at <c>/</c>.</summary>
    public const string ShellName = "index.html";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    public IReadOnlyCollection<string> Names => _assets.Keys;

    public DashboardAsset Shell => _assets[ShellName];

    /// <summary>Reads every embedded file under <see cref="ResourcePrefix"/> whose type the dashboard serves.</summary>
    public static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
            assets[name] = new DashboardAsset(name, contentType, content, etag);
        }

        if (!assets.ContainsKey(ShellName))
        {
            throw new InvalidOperationException($"The dashboard's {ShellName} is not embedded in {assembly.GetName().Name}.");
        }

        return new DashboardAssets(assets);
    }

    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);
}

/// <summary>One embedded file as served.</summary>
public sealed record DashboardAsset(string Name, string ContentType, byte[] Content, EntityTagHeaderValue ETag);
