using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

[Collection(AzuriteFixture.CollectionName)]
public sealed class TenantCrudTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task Onboarding_stores_the_tenant_with_defaults_and_answers_201_with_location_and_etag()
    {
        var body = TestTenants.Body(tenantId: "6F1C2B9E-1D3A-4C55-9A0E-2B7F5D8C1E01");

        var response = await TestTenants.CreateAsync(Admin, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/tenants/6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01", response.Headers.Location?.ToString());
        Assert.NotNull(response.Headers.ETag);
        var tenant = await BodyAsync(response);
        Assert.Equal("6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01", tenant["tenantId"]!.GetValue<string>());
        Assert.Equal("Commercial", tenant["cloud"]!.GetValue<string>());
        Assert.Equal("us", tenant["siemRegion"]!.GetValue<string>());
        Assert.Equal(["incidents", "siem"], tenant["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("00:01:00", tenant["pollInterval"]!.GetValue<string>());
        Assert.Equal("1.00:00:00", tenant["initialLookback"]!.GetValue<string>());
        Assert.False(tenant["paused"]!.GetValue<bool>());
        Assert.Equal(1, tenant["version"]!.GetValue<long>());
        Assert.Equal("ops-admin", tenant["updatedBy"]!.GetValue<string>());
        Assert.Equal("ClientSecret", tenant["credential"]!["kind"]!.GetValue<string>());
        Assert.True((await Api.Container.GetBlobClient("tenants/6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01.json").ExistsAsync()).Value);
    }

    [Fact]
    public async Task A_tenant_reads_back_as_onboarded_with_the_same_etag()
    {
        var body = TestTenants.Body();
        body["sources"] = new JsonArray("siem");
        body["pollInterval"] = "PT5M";
        body["machineGroups"] = new JsonArray("Finance", "Sales EU");
        body["cloud"] = "gcchigh";
        body["siemRegion"] = "EU";
        var created = await TestTenants.CreateAsync(Admin, body);

        var read = await Reader.GetAsync($"/tenants/{body["tenantId"]}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(created.Headers.ETag, read.Headers.ETag);
        var tenant = await BodyAsync(read);
        Assert.Equal("GccHigh", tenant["cloud"]!.GetValue<string>());
        Assert.Equal("eu", tenant["siemRegion"]!.GetValue<string>());
        Assert.Equal("00:05:00", tenant["pollInterval"]!.GetValue<string>());
        Assert.Equal(["Finance", "Sales EU"], tenant["machineGroups"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Onboarding_a_tenant_twice_is_a_conflict_and_keeps_the_first()
    {
        var body = TestTenants.Body();
        await OnboardAsync(body);
        body["displayName"] = "Second";

        var again = await TestTenants.CreateAsync(Admin, body);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Contoso", (await BodyAsync(await Reader.GetAsync($"/tenants/{body["tenantId"]}")))["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_tenants_are_404_everywhere()
    {
        var id = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await Reader.GetAsync($"/tenants/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Reader.GetAsync($"/tenants/{id}/status")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PatchAsync($"/tenants/{id}", JsonContent.Create(new { displayName = "x" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PutAsync($"/tenants/{id}/credentials", JsonContent.Create(new { clientSecret = "s" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/tenants/{id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/tenants/{id}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync($"/tenants/{id}/poll", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/tenants/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/tenants/{id}?purge=true")).StatusCode);
    }

    [Fact]
    public async Task Patch_changes_only_the_given_fields_and_bumps_the_version()
    {
        var id = await OnboardAsync();

        var response = await Admin.PatchAsync($"/tenants/{id}", JsonContent.Create(new { displayName = "Fabrikam", sources = new[] { "incidents" }, machineGroups = Array.Empty<string>() }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tenant = await BodyAsync(response);
        Assert.Equal("Fabrikam", tenant["displayName"]!.GetValue<string>());
        Assert.Equal(["incidents"], tenant["sources"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("00:01:00", tenant["pollInterval"]!.GetValue<string>());
        Assert.Equal(2, tenant["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_change_based_on_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var id = await OnboardAsync();
        var read = await Reader.GetAsync($"/tenants/{id}");
        var etag = read.Headers.ETag!;
        Assert.Equal(HttpStatusCode.OK, (await SendWithIfMatch(HttpMethod.Patch, $"/tenants/{id}", new { displayName = "First" }, etag)).StatusCode);
        var before = await StorageSnapshot.TakeAsync(Api.Container);

        var stale = await SendWithIfMatch(HttpMethod.Patch, $"/tenants/{id}", new { displayName = "Second" }, etag);
        var stalePause = await SendWithIfMatch(HttpMethod.Post, $"/tenants/{id}/pause", null, etag);
        var staleDelete = await SendWithIfMatch(HttpMethod.Delete, $"/tenants/{id}", null, etag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stalePause.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.StatusCode);
        Assert.True(before.SameAs(await StorageSnapshot.TakeAsync(Api.Container)));
        Assert.Equal("First", (await BodyAsync(await Reader.GetAsync($"/tenants/{id}")))["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Of_two_changes_from_the_same_version_exactly_one_wins()
    {
        var id = await OnboardAsync();
        var etag = (await Reader.GetAsync($"/tenants/{id}")).Headers.ETag!;

        var results = await Task.WhenAll(
            SendWithIfMatch(HttpMethod.Patch, $"/tenants/{id}", new { displayName = "A" }, etag),
            SendWithIfMatch(HttpMethod.Patch, $"/tenants/{id}", new { displayName = "B" }, etag));

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.PreconditionFailed],
            results.Select(r => r.StatusCode).Order());
        Assert.Equal(2, (await BodyAsync(await Reader.GetAsync($"/tenants/{id}")))["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Changes_without_if_match_are_all_applied_however_they_interleave()
    {
        var id = await OnboardAsync();

        var results = await Task.WhenAll(
            Admin.PatchAsync($"/tenants/{id}", JsonContent.Create(new { displayName = "Renamed" })),
            Admin.PatchAsync($"/tenants/{id}", JsonContent.Create(new { siemRegion = "uk" })),
            Admin.PatchAsync($"/tenants/{id}", JsonContent.Create(new { pollInterval = "00:10:00" })),
            Admin.PostAsync($"/tenants/{id}/pause", null));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var tenant = await BodyAsync(await Reader.GetAsync($"/tenants/{id}"));
        Assert.Equal("Renamed", tenant["displayName"]!.GetValue<string>());
        Assert.Equal("uk", tenant["siemRegion"]!.GetValue<string>());
        Assert.Equal("00:10:00", tenant["pollInterval"]!.GetValue<string>());
        Assert.True(tenant["paused"]!.GetValue<bool>());
        Assert.Equal(5, tenant["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Pause_resume_and_poll_now_are_recorded_in_the_desired_state()
    {
        var id = await OnboardAsync();

        var poll1 = await Admin.PostAsync($"/tenants/{id}/poll", null);
        var poll2 = await Admin.PostAsync($"/tenants/{id}/poll", null);
        var paused = await Admin.PostAsync($"/tenants/{id}/pause", null);
        var pausedAgain = await Admin.PostAsync($"/tenants/{id}/pause", null);
        var pollWhilePaused = await Admin.PostAsync($"/tenants/{id}/poll", null);
        var resumed = await Admin.PostAsync($"/tenants/{id}/resume", null);

        Assert.Equal(HttpStatusCode.Accepted, poll1.StatusCode);
        Assert.Equal(1, (await BodyAsync(poll1))["sequence"]!.GetValue<long>());
        Assert.Equal(2, (await BodyAsync(poll2))["sequence"]!.GetValue<long>());
        var pausedTenant = await BodyAsync(paused);
        Assert.True(pausedTenant["paused"]!.GetValue<bool>());
        Assert.Equal(pausedTenant["version"]!.GetValue<long>(), (await BodyAsync(pausedAgain))["version"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Conflict, pollWhilePaused.StatusCode);
        var tenant = await BodyAsync(resumed);
        Assert.False(tenant["paused"]!.GetValue<bool>());
        Assert.Equal(2, tenant["pollRequest"]!["sequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Rotating_the_credential_reseals_it_and_may_change_the_client_id()
    {
        var id = await OnboardAsync();
        var before = (await Api.Container.GetBlobClient($"tenants/{id}.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<JsonObject>()!;
        var newClient = Guid.NewGuid().ToString();

        var response = await Admin.PutAsync($"/tenants/{id}/credentials", JsonContent.Create(new { clientSecret = TestTenants.NewSecret(), clientId = newClient }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(newClient, (await BodyAsync(response))["clientId"]!.GetValue<string>());
        var after = (await Api.Container.GetBlobClient($"tenants/{id}.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<JsonObject>()!;
        Assert.NotEqual(before["credential"]!["sealed"]!.GetValue<string>(), after["credential"]!["sealed"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_desired_state_but_keeps_state_and_delivered_data()
    {
        var id = await OnboardAsync();
        await Api.Container.GetBlobClient($"state/{id}.json").UploadAsync(BinaryData.FromString("{}"));
        Directory.CreateDirectory(Path.Combine(Api.SinkPath, id));

        var deleted = await Admin.DeleteAsync($"/tenants/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Reader.GetAsync($"/tenants/{id}")).StatusCode);
        Assert.True((await Api.Container.GetBlobClient($"state/{id}.json").ExistsAsync()).Value);
        Assert.True(Directory.Exists(Path.Combine(Api.SinkPath, id)));
    }

    [Fact]
    public async Task Delete_with_purge_also_removes_state_and_delivered_data_even_after_a_plain_delete()
    {
        var purgedAtOnce = await OnboardAsync();
        var purgedLater = await OnboardAsync();
        foreach (var id in new[] { purgedAtOnce, purgedLater })
        {
            await Api.Container.GetBlobClient($"state/{id}.json").UploadAsync(BinaryData.FromString("{}"));
            Directory.CreateDirectory(Path.Combine(Api.SinkPath, id));
            await File.WriteAllTextAsync(Path.Combine(Api.SinkPath, id, "siem.jsonl"), "{}\n");
        }

        var atOnce = await Admin.DeleteAsync($"/tenants/{purgedAtOnce}?purge=true");
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/tenants/{purgedLater}")).StatusCode);
        var later = await Admin.DeleteAsync($"/tenants/{purgedLater}?purge=true");

        Assert.Equal(HttpStatusCode.OK, atOnce.StatusCode);
        var result = await BodyAsync(atOnce);
        Assert.True(result["documentDeleted"]!.GetValue<bool>());
        Assert.True(result["stateDeleted"]!.GetValue<bool>());
        Assert.True(result["deliveredDataDeleted"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.False((await BodyAsync(later))["documentDeleted"]!.GetValue<bool>());
        foreach (var id in new[] { purgedAtOnce, purgedLater })
        {
            Assert.False((await Api.Container.GetBlobClient($"state/{id}.json").ExistsAsync()).Value);
            Assert.False(Directory.Exists(Path.Combine(Api.SinkPath, id)));
        }
    }

    [Fact]
    public async Task The_list_pages_in_tenant_id_order_and_filters_by_paused_and_source()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var body = TestTenants.Body();
            if (i % 2 == 0)
            {
                body["paused"] = true;
                body["sources"] = new JsonArray("siem");
            }

            ids.Add(await OnboardAsync(body));
        }

        var pages = new List<List<string>>();
        string? token = null;
        do
        {
            var page = await BodyAsync(await Reader.GetAsync("/tenants?pageSize=2" + (token is null ? "" : "&continuationToken=" + token)));
            pages.Add(page["items"]!.AsArray().Select(item => item!["tenantId"]!.GetValue<string>()).ToList());
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        var listed = pages.SelectMany(page => page).Where(ids.Contains).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
        Assert.All(pages, page => Assert.True(page.Count <= 2));
        var paused = await BodyAsync(await Reader.GetAsync("/tenants?paused=true&pageSize=1000"));
        var incidents = await BodyAsync(await Reader.GetAsync("/tenants?source=incidents&pageSize=1000"));
        Assert.Equal(
            ids.Where((_, i) => i % 2 == 0).Order(StringComparer.Ordinal),
            paused["items"]!.AsArray().Select(item => item!["tenantId"]!.GetValue<string>()).Where(ids.Contains));
        Assert.Equal(
            ids.Where((_, i) => i % 2 == 1).Order(StringComparer.Ordinal),
            incidents["items"]!.AsArray().Select(item => item!["tenantId"]!.GetValue<string>()).Where(ids.Contains));
    }

    private async Task<HttpResponseMessage> SendWithIfMatch(HttpMethod method, string path, object? body, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.IfMatch.Add(etag);
        return await Admin.SendAsync(request);
    }
}
