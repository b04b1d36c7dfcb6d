using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// The management API driving a real silo process, every part real: tenants onboarded from a CSV through the API (in
/// this process, on Azurite) are polled by the silo against the simulator; pause, resume, poll-now, secret rotation and
/// deletion reach the owning grain through the tenant documents; the status endpoint shows what the grain recorded.
/// What the silo did is read from the simulator's own counters.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ManagementApiEndToEndTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private const string PollInterval = "00:00:02";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the test watches a tenant to show that nothing calls its API: several poll intervals and balancing
    /// rounds. Absence can only be shown over a stretch of real time.
    /// </summary>
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(8);


    private readonly SiloScope _scope = new("api-e2e", output);
    private SiloProcess _silo = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task Tenants_managed_through_the_api_are_polled_paused_resumed_polled_now_rotated_and_removed()
    {
        var tenants = Enumerable.Range(0, 3).Select(_ => TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret())).ToList();
        var registered = new List<TenantSpec>();
        foreach (var tenant in tenants)
        {
            registered.Add(await tenant.RegisterAsync(simulator, Generators.Quiet));
        }

        var container = AzuriteFixture.UniqueContainerName("api-e2e");
        await using var api = new ApiHost(azurite, container, _scope.SinkFolder);
        var admin = api.Admin();
        _silo = _scope.Start("silo-api", new SiloEnvironment(azurite, simulator, container, _scope.SinkFolder).With());

        // 1. Three tenants onboarded in bulk from a spreadsheet are polled.
        var csv = "tenantId,clientId,clientSecret,displayName,pollInterval,initialLookback\n"
            + string.Concat(tenants.Select((t, i) => $"{t.TenantId},{t.ClientId},{t.ConfiguredSecret},Customer {i},{PollInterval},00:30:00\n"));
        var bulk = await admin.PostAsync("/tenants/bulk?atomic=true", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        await Eventually.HoldsAsync(
            async () => (await Task.WhenAll(tenants.Select(CallsAsync))).All(calls => calls >= 4),
            Patience, Describe(tenants));

        // 2. Pause: no API calls while paused. Resume: polled again.
        var paused = tenants[0];
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/tenants/{paused.TenantId}/pause", null)).StatusCode);
        await Eventually.HoldsAsync(async () => await HealthAsync(admin, paused) == "Paused", Patience, Describe([paused]));
        var whilePaused = await CallsAsync(paused);
        await Task.Delay(QuietWindow);
        Assert.Equal(whilePaused, await CallsAsync(paused));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/tenants/{paused.TenantId}/resume", null)).StatusCode);
        await Eventually.HoldsAsync(async () => await CallsAsync(paused) > whilePaused, Patience, Describe([paused]));

        // 3. Poll now: a tenant moved to an hourly schedule polls within seconds of the command.
        var hourly = tenants[1];
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/tenants/{hourly.TenantId}", JsonContent.Create(new { pollInterval = "01:00:00" }))).StatusCode);
        var settled = await SettledCallsAsync(hourly);
        var commanded = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"/tenants/{hourly.TenantId}/poll", null)).StatusCode);
        await Eventually.HoldsAsync(async () => await CallsAsync(hourly) > settled, TimeSpan.FromSeconds(20), Describe([hourly]));
        output.WriteLine($"poll-now reached the grain and the API within {(DateTimeOffset.UtcNow - commanded).TotalSeconds:F1} s");

        // 4. Rotation: a new secret through the API, the old one revoked; the next token is requested with the new one.
        var rotating = tenants[2];
        var oldKey = registered[2].Apps.Single().Secrets.Single().KeyId!.Value;
        var newSecret = TestTenant.NewSecret();
        await simulator.Admin.AddSecretAsync(rotating.TenantId, rotating.ClientId, newSecret);
        var tokensBefore = (await simulator.Admin.GetStatsAsync(rotating.TenantId)).TokenRequests;
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/tenants/{rotating.TenantId}/credentials", JsonContent.Create(new { clientSecret = newSecret }))).StatusCode);
        await simulator.Admin.RevokeSecretAsync(rotating.TenantId, rotating.ClientId, oldKey);
        await Eventually.HoldsAsync(
            async () => (await simulator.Admin.GetStatsAsync(rotating.TenantId)).TokenRequests.Succeeded > tokensBefore.Succeeded,
            Patience, Describe([rotating]));
        var afterRotation = await CallsAsync(rotating);
        await Eventually.HoldsAsync(async () => await CallsAsync(rotating) > afterRotation, Patience, Describe([rotating]));
        Assert.Equal(tokensBefore.Failed, (await simulator.Admin.GetStatsAsync(rotating.TenantId)).TokenRequests.Failed);
        Assert.NotEqual("AuthFailed", await HealthAsync(admin, rotating));

        // 5. Delete: the grain stops and no further request reaches the tenant's API.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/tenants/{paused.TenantId}")).StatusCode);
        var probe = new ClusterProbe(azurite.ServiceClient.GetBlobContainerClient(container));
        await Eventually.HoldsAsync(async () => !await IsLeasedAsync(probe, paused), Patience, Describe([paused]));
        var afterDelete = await CallsAsync(paused);
        await Task.Delay(QuietWindow);
        Assert.Equal(afterDelete, await CallsAsync(paused));

        // 6. Status shows a failure injected in the token endpoint, without the secret.
        var failing = TestTenant.Create(Guid.NewGuid().ToString(), TestTenant.NewSecret());
        await failing.RegisterAsync(simulator, Generators.Quiet);
        await simulator.Admin.AddFaultAsync(failing.TenantId, new FaultSpec { Source = SimulatorFaultSource.Token, Status = 401 });
        var onboarded = await admin.PostAsync("/tenants", JsonContent.Create(new
        {
            tenantId = failing.TenantId, clientId = failing.ClientId, clientSecret = failing.ConfiguredSecret, pollInterval = PollInterval,
        }));
        Assert.Equal(HttpStatusCode.Created, onboarded.StatusCode);
        await Eventually.HoldsAsync(async () => await HealthAsync(admin, failing) == "AuthFailed", Patience, Describe([failing]));
        var status = await (await admin.GetAsync($"/tenants/{failing.TenantId}/status")).Content.ReadAsStringAsync();
        output.WriteLine(status);
        Assert.Contains("\"lastError\":{", status, StringComparison.Ordinal);
        Assert.DoesNotContain(failing.ConfiguredSecret, status, StringComparison.Ordinal);
        Assert.DoesNotContain(failing.ConfiguredSecret, _silo.Output, StringComparison.Ordinal);
        foreach (var tenant in tenants)
        {
            Assert.DoesNotContain(tenant.ConfiguredSecret, _silo.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(newSecret, _silo.Output, StringComparison.Ordinal);
    }

    private async Task<long> CallsAsync(TestTenant tenant)
    {
        var stats = await simulator.Admin.GetStatsAsync(tenant.TenantId);
        return stats.Calls(DefenderSources.Incidents) + stats.Calls(DefenderSources.Siem);
    }

    /// <summary>The tenant's call count once it stops growing (its last short-interval poll is done).</summary>
    private async Task<long> SettledCallsAsync(TestTenant tenant)
    {
        var deadline = DateTime.UtcNow + Patience;
        var previous = await CallsAsync(tenant);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            var now = await CallsAsync(tenant);
            if (now == previous)
            {
                return now;
            }

            previous = now;
        }

        throw new TimeoutException($"Tenant {tenant.TenantId} kept polling on its old schedule.");
    }

    private static async Task<string?> HealthAsync(HttpClient admin, TestTenant tenant)
    {
        var response = await admin.GetAsync($"/tenants/{tenant.TenantId}/status");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())?["health"]?.GetValue<string>() : null;
    }

    private static async Task<bool> IsLeasedAsync(ClusterProbe probe, TestTenant tenant)
    {
        await foreach (var blob in probe.Container.GetBlobsAsync(prefix: $"state/{tenant.TenantId}.json"))
        {
            return blob.Properties.LeaseStatus == Runtime.Storage.Blobs.LeaseStatus.Locked;
        }

        return false;
    }

    private Func<Task<string>> Describe(IEnumerable<TestTenant> tenants) => async () =>
        string.Join("; ", await Task.WhenAll(tenants.Select(async t => $"{t.TenantId}: {await CallsAsync(t)} calls")))
        + "\n" + _scope.Tail();
}
