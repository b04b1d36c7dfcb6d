using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

[Collection(AzuriteFixture.CollectionName)]
public sealed class BulkOnboardingTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Fact]
    public async Task A_spreadsheet_of_tenants_is_onboarded_and_bad_rows_are_reported_by_line()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var csv = "\uFEFFTenantId,ClientId,ClientSecret,DisplayName,Sources,PollInterval,Paused,MachineGroups\r\n"
            + $"{a},{Guid.NewGuid()},secret-a,Contoso,incidents;siem,00:05:00,FALSE,\r\n"
            + $"{b},{Guid.NewGuid()},secret-b,\"Fabrikam, Inc.\",siem,,TRUE,Finance;Sales EU\r\n"
            + $"not-a-guid,{Guid.NewGuid()},secret-x,Broken,,,,\r\n"
            + "\r\n"
            + $"{c},{Guid.NewGuid()},secret-c,Tailspin,,PT2M,,\r\n"
            + $"{Guid.NewGuid()},{Guid.NewGuid()},secret-y,Bad interval,,often,,\r\n"
            + $"{a},{Guid.NewGuid()},secret-z,Again,,,,\r\n";

        var response = await Admin.PostAsync("/tenants/bulk", Csv(csv));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await BodyAsync(response);
        Assert.Equal([2, 3, 6], result["created"]!.AsArray().Select(row => row!["line"]!.GetValue<int>()));
        var rejected = result["rejected"]!.AsArray();
        Assert.Equal([4, 7, 8], rejected.Select(row => row!["line"]!.GetValue<int>()));
        Assert.Equal(["tenantId", "pollInterval", "tenantId"], rejected.Select(row => row!["errors"]!.AsObject().Single().Key));
        Assert.Equal([400, 400, 409], rejected.Select(row => row!["status"]!.GetValue<int>()));
        var fabrikam = await BodyAsync(await Reader.GetAsync($"/tenants/{b}"));
        Assert.Equal("Fabrikam, Inc.", fabrikam["displayName"]!.GetValue<string>());
        Assert.True(fabrikam["paused"]!.GetValue<bool>());
        Assert.Equal(["Finance", "Sales EU"], fabrikam["machineGroups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal("00:02:00", (await BodyAsync(await Reader.GetAsync($"/tenants/{c}")))["pollInterval"]!.GetValue<string>());
    }

    [Fact]
    public async Task Atomic_bulk_with_a_bad_row_stores_nothing_and_without_bad_rows_stores_all()
    {
        var good = Enumerable.Range(0, 3).Select(_ => TestTenants.Body()).ToList();
        var bad = TestTenants.Body();
        bad["siemRegion"] = "mars";
        var before = (await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing();

        var refused = await Admin.PostAsync("/tenants/bulk?atomic=true", JsonContent.Create(new JsonArray([.. good.Select(g => g.DeepClone()), bad])));
        var after = (await StorageSnapshot.TakeAsync(Api.Container)).WithoutKeyRing();
        var accepted = await Admin.PostAsync("/tenants/bulk?atomic=true", JsonContent.Create(new JsonArray([.. good])));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await BodyAsync(refused);
        Assert.Equal("line 1: siemRegion", Assert.Single(problem["errors"]!.AsObject()).Key);
        Assert.Equal(4, problem["rows"]!.AsArray().Single()!["line"]!.GetValue<int>() + 3);
        Assert.True(before.SameAs(after));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(3, (await BodyAsync(accepted))["created"]!.AsArray().Count);
    }

    [Fact]
    public async Task Json_rows_are_numbered_by_the_line_their_object_starts_on()
    {
        var json = "[\n  " + TestTenants.Body().ToJsonString() + ",\n  {\n    \"tenantId\": \"x\",\n    \"clientId\": \"" + Guid.NewGuid()
            + "\",\n    \"clientSecret\": \"s\"\n  },\n  42\n]";

        var response = await Admin.PostAsync("/tenants/bulk", new StringContent(json, Encoding.UTF8, "application/json"));

        var result = await BodyAsync(response);
        Assert.Equal([2], result["created"]!.AsArray().Select(row => row!["line"]!.GetValue<int>()));
        Assert.Equal([3, 8], result["rejected"]!.AsArray().Select(row => row!["line"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_same_tenant_twice_in_one_request_is_a_conflict_naming_the_first_line()
    {
        var body = TestTenants.Body();

        var response = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(new JsonArray(body.DeepClone(), body.DeepClone())));

        var rejected = Assert.Single((await BodyAsync(response))["rejected"]!.AsArray())!;
        Assert.Equal(409, rejected["status"]!.GetValue<int>());
        Assert.Contains("line 1", rejected["errors"]!["tenantId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_rows_are_refused_before_anything_is_stored()
    {
        await using var small = new ApiFactory(Azurite, new Dictionary<string, string?> { ["Api:Limits:MaxBulkRows"] = "2" });
        var rows = new JsonArray(TestTenants.Body(), TestTenants.Body(), TestTenants.Body());

        var response = await small.Admin().PostAsync("/tenants/bulk", JsonContent.Create(rows));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("body", await ErrorFieldsAsync(response));
        Assert.Empty((await StorageSnapshot.TakeAsync(small.Container)).WithoutKeyRing().Blobs);
    }
}
