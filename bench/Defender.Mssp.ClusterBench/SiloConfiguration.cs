using System.Text.Json;
using System.Text.Json.Nodes;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Writes flat configuration keys (<c>Tenants:0:TenantId</c>) as the nested <c>appsettings.json</c> of a content root,
/// so a silo with a thousand tenants is configured through a file rather than thousands of environment variables.
/// Array indexes become object keys, which the configuration binder reads as arrays all the same.
/// </summary>
internal static class SiloConfiguration
{
    public static void WriteAppSettings(string folder, IEnumerable<KeyValuePair<string, string>> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var parts = key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[part] = child;
                }

                node = child;
            }

            node[parts[^1]] = value;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
