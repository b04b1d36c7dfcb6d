using System.Security.Cryptography;
using System.Text;

namespace Defender.AppHost.Demo;

/// <summary>A demo customer tenant, known to both the simulator (as an Entra ID tenant) and the silo (as a customer).</summary>
public sealed record DemoTenant(string TenantId, string DisplayName, string ClientId, string ClientSecret)
{
    /// <summary>The MSSP's multi-tenant app, consented to by most demo customers.</summary>
    public static readonly string MsspClientId = StableGuid("mssp-app");

    /// <summary>
    /// <paramref name="count"/> tenants with stable ids; every third one brings an app registration of its own, the
    /// rest share the MSSP's multi-tenant app. Secrets are new on every run and live only in the children's environment.
    /// </summary>
    public static IReadOnlyList<DemoTenant> Create(int count)
    {
        var msspSecret = NewSecret();
        return Enumerable.Range(1, count).Select(i => i % 3 == 0
                ? new DemoTenant(StableGuid($"tenant-{i}"), $"Contoso {i:000}", StableGuid($"own-app-{i}"), NewSecret())
                : new DemoTenant(StableGuid($"tenant-{i}"), $"Contoso {i:000}", MsspClientId, msspSecret))
            .ToList();
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    private static string StableGuid(string name) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes("defender-mssp-demo:" + name))).ToString();
}
