using Defender.AppHost.Hosting;
using Defender.AppHost.ManagementApi;

namespace Defender.AppHost.Demo;

/// <summary>
/// Onboards the demo tenants through the management API, as an operator would, so the dashboard, pause/resume and
/// poll-now work on them like on real ones and the silos find them where they find every tenant. Secrets are new on
/// every run: a tenant kept in storage from an earlier run gets the new one by credential rotation. Demo tenants this
/// data folder onboarded earlier but no longer has (a smaller <c>--tenants</c>) are removed, so none is left failing
/// against a simulator that no longer knows it; tenants anyone else onboarded are never touched.
/// </summary>
public sealed class DemoOnboarding(IReadOnlyList<DemoTenant> tenants, TimeSpan pollInterval, string ledgerFile)
{
    private const int Concurrency = 4;

    public async Task OnboardAsync(ProjectResource api, GeneratedApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var client = new ManagementApiClient(api.Endpoints[0], key);
        var current = tenants.Select(t => t.TenantId).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in ReadLedger().Where(id => !current.Contains(id)))
        {
            await client.DeleteTenantAsync(stale, cancellationToken).ConfigureAwait(false);
        }

        var created = 0;
        await Parallel.ForEachAsync(tenants, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
            async (tenant, ct) =>
            {
                var request = new TenantCreateRequest(tenant.TenantId, tenant.DisplayName, tenant.ClientId, tenant.ClientSecret, pollInterval);
                if (await client.TryCreateTenantAsync(request, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref created);
                }
                else
                {
                    await client.RotateCredentialsAsync(tenant.TenantId, new CredentialsRequest(tenant.ClientId, tenant.ClientSecret), ct)
                        .ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

        WriteLedger(current);
        ConsoleLog.Info($"demo: {tenants.Count} tenants onboarded through the management API ({created} new, {tenants.Count - created} with rotated secrets)");
    }

    private IEnumerable<string> ReadLedger() =>
        File.Exists(ledgerFile) ? File.ReadAllLines(ledgerFile).Where(line => line.Length > 0).ToList() : [];

    private void WriteLedger(IEnumerable<string> tenantIds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ledgerFile)!);
        File.WriteAllLines(ledgerFile, tenantIds);
    }
}
