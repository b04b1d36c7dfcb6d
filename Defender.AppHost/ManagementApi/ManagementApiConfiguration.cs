using Defender.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.ManagementApi;

/// <summary>How the AppHost configures the management API process.</summary>
public static class ManagementApiConfiguration
{
    public const string ApiKeysSection = "Api:Authentication:ApiKeys";

    public const string AdminRole = "Admin";

    /// <summary>
    /// Adds Admin API keys (by hash) after any the AppHost's own environment already configures
    /// (<c>Api__Authentication__ApiKeys__N__…</c>), so an operator's keys keep working beside the generated ones.
    /// </summary>
    public static ProjectResource WithAdminApiKeys(
        this ProjectResource api, IConfiguration hostConfiguration, params (string Name, GeneratedApiKey Key)[] keys)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(hostConfiguration);
        var next = hostConfiguration.GetSection(ApiKeysSection).GetChildren()
            .Select(child => int.TryParse(child.Key, out var index) ? index + 1 : 0)
            .DefaultIfEmpty(0)
            .Max();
        foreach (var (name, key) in keys)
        {
            var prefix = $"{ApiKeysSection.Replace(":", "__", StringComparison.Ordinal)}__{next++}__";
            api.WithEnvironment(prefix + "Name", name)
                .WithEnvironment(prefix + "Role", AdminRole)
                .WithEnvironment(prefix + "Hash", key.Hash);
        }

        return api;
    }
}
