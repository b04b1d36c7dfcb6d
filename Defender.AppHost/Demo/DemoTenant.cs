using System.Security.Cryptography;
using System.Text;

namespace Defender.AppHost.Demo;

/// <summary>
/// A demo customer tenant, known to the simulator (as an Entra ID tenant with its app registration) and onboarded
/// through the management API (as a customer the silos poll).
/// </summary>
public sealed record DemoTenant(string TenantId, string DisplayName, string ClientId, string ClientSecret)
{
    /// <summary>Short, so records and dashboard changes show within seconds (the demo lowers the API's minimum to 5 s).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    /// <summary>The lowest poll interval the demo's management API accepts.</summary>
    public static readonly TimeSpan MinPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>The MSSP's multi-tenant app, consented to by most demo customers.</summary>
    public static readonly string MsspClientId = StableGuid("mssp-app");

    /// <summary>
    /// <paramref name="count"/> tenants with stable ids; every third one brings an app registration of its own, the
    /// rest share the MSSP's multi-tenant app. Secrets are new on every run: the simulator gets them in its environment,
    /// the management API seals them in storage.
    /// </summary>
    public static IReadOnlyList<DemoTenant> Create(int count)
    {
        var msspSecret = NewSecret();
        return Enumerable.Range(1, count).Select(i => i % 3 == 0
                ? new DemoTenant(StableGuid($"tenant-{i}"), $"Contoso {i:000}", StableGuid($"own-app-{i}"), NewSecret())
                : new DemoTenant(StableGuid($"tenant-{i}"), $"Contoso {i:000}", MsspClientId, msspSecret))
            .ToList();
    }

    /// <summary>Keeps the client secret out of anything that formats this record.</summary>
    public override string ToString() => $"{nameof(DemoTenant)} {{ TenantId = {TenantId}, DisplayName = {DisplayName} }}";

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    private static string StableGuid(string name) =>
        new Guid(MD5.HashData(Encoding.UTF8.GetBytes("defender-mssp-demo:" + name))).ToString();
}
