using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Defender.Mssp.IntegrationTests.Dashboard;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.TestKit;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// The management API on Kestrel at a loopback port under a bounded burst from this test: the rate limit lets
/// exactly its permit through per caller however the requests interleave, other callers and the health endpoint are
/// unaffected, and a burst of oversized bodies is refused with 413 without storing anything.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class ApiBurstTests(AzuriteFixture azurite, ITestOutputHelper output) : IDisposable
{
    private const int Permit = 40;
    private const int Burst = 400;
    private const int Parallel = 32;

    private readonly string _sinkFolder = Directory.CreateTempSubdirectory("defender-burst-").FullName;

    public void Dispose() => Directory.Delete(_sinkFolder, recursive: true);

    [Fact]
    public async Task A_burst_gets_exactly_the_permit_per_caller_and_oversized_bodies_are_refused_and_store_nothing()
    {
        var container = AzuriteFixture.UniqueContainerName("burst");
        await using var api = new DashboardApiHost(azurite, container, _sinkFolder, new Dictionary<string, string>
        {
            ["Api:RateLimit:PermitLimit"] = Permit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Api:RateLimit:Window"] = "01:00:00",   // nothing refills while the test runs, however slow the machine
        });
        api.Start();
        using var reader = api.Client(api.ReaderKey);
        using var admin = api.Client(api.AdminKey);
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };

        // 1. One caller's burst: exactly the permit passes, the rest is 429 with Retry-After.
        var statuses = await BurstAsync(Burst, async _ =>
        {
            using var response = await reader.GetAsync("/tenants");
            Assert.True(response.StatusCode != HttpStatusCode.TooManyRequests || response.Headers.RetryAfter is not null, "429 without Retry-After");
            return response.StatusCode;
        });
        output.WriteLine($"reader burst of {Burst}: " + string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} × {g.Count()}")));
        Assert.Equal(Permit, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Burst - Permit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // The other caller and the health endpoint were not starved by it.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        // 2. Oversized bodies from the admin, in parallel: 413 each (as far as the permit goes), nothing stored.
        var oversized = new JsonObject
        {
            ["tenantId"] = Guid.NewGuid().ToString(),
            ["clientId"] = Guid.NewGuid().ToString(),
            ["clientSecret"] = "s3cr3t~burst",
            ["displayName"] = new string('x', 2_000_000),
        }.ToJsonString();
        var bodies = await BurstAsync(Permit - 5, async _ =>
        {
            using var content = new StringContent(oversized, Encoding.UTF8, "application/json");
            try
            {
                using var response = await admin.PostAsync("/tenants", content);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Kestrel may close the connection as soon as the limit is passed, before the client finished sending.
                return HttpStatusCode.RequestEntityTooLarge;
            }
        });
        Assert.All(bodies, status => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status));
        var listed = await admin.GetFromJsonAsync<JsonObject>("/tenants");
        Assert.Empty(listed!["items"]!.AsArray());
        Assert.Empty(await StorageSnapshotAsync(container));
    }

    private static async Task<List<HttpStatusCode>> BurstAsync(int count, Func<int, Task<HttpStatusCode>> send)
    {
        var results = new HttpStatusCode[count];
        await System.Threading.Tasks.Parallel.ForEachAsync(
            Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallel },
            async (i, _) => results[i] = await send(i));
        return [.. results];
    }

    private async Task<List<string>> StorageSnapshotAsync(string container)
    {
        var names = new List<string>();
        // The container exists: the API keeps its Data Protection key ring in it from the first request on.
        var client = azurite.ServiceClient.GetBlobContainerClient(container);
        await foreach (var blob in client.GetBlobsAsync(prefix: "tenants/"))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
