using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

/// <summary>
/// A tenant's own sinks through the API: given at onboarding (references to configured sinks and sinks defined inline),
/// shown without secrets, kept by unrelated changes, replaced and removed by PATCH, each under the tenant's ETag.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class TenantSinksTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Sinks:Definitions:splunk-eu:Type"] = "Http",
        ["Sinks:Definitions:splunk-eu:Url"] = "https://splunk-eu.example.com:8088",
    };

    private static JsonObject Sinks(string mode, params JsonObject[] sinks) => new() { ["mode"] = mode, ["sinks"] = new JsonArray(sinks) };

    [Fact]
    public async Task A_bulk_CSV_names_configured_sinks_and_their_mode_and_bad_ones_are_reported_by_line()
    {
        var (named, unknown, modeOnly) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var csv = "TenantId,ClientId,ClientSecret,Sinks,SinksMode\r\n"
            + $"{named},{Guid.NewGuid()},secret-a,splunk-eu,replace\r\n"
            + $"{unknown},{Guid.NewGuid()},secret-b,splunk-eu;nowhere,\r\n"
            + $"{modeOnly},{Guid.NewGuid()},secret-c,,replace\r\n";

        var response = await Admin.PostAsync("/tenants/bulk", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await BodyAsync(response);
        Assert.Equal([2], result["created"]!.AsArray().Select(row => row!["line"]!.GetValue<int>()));
        var rejected = result["rejected"]!.AsArray();
        Assert.Equal([3, 4], rejected.Select(row => row!["line"]!.GetValue<int>()));
        Assert.StartsWith("sinks", Assert.Single(rejected[0]!["errors"]!.AsObject()).Key, StringComparison.Ordinal);
        Assert.Equal("sinksMode", Assert.Single(rejected[1]!["errors"]!.AsObject()).Key);
        var shown = (await BodyAsync(await Reader.GetAsync($"/tenants/{named}")))["sinks"]!;
        Assert.Equal("replace", shown["mode"]!.GetValue<string>());
        Assert.Equal("""{"name":"splunk-eu"}""", Assert.Single(shown["sinks"]!.AsArray())!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await Reader.GetAsync($"/tenants/{unknown}")).StatusCode);
    }

    [Fact]
    public async Task Purging_a_tenant_deletes_its_folder_in_each_of_its_own_file_sinks_and_no_other_tenants()
    {
        var body = TestTenants.Body();
        body["sinks"] = Sinks("add",
            new JsonObject { ["name"] = "local", ["type"] = "jsonLines", ["folder"] = "contoso/records" },
            new JsonObject { ["name"] = "sheet", ["type"] = "csv", ["folder"] = "contoso/csv" });
        var tenantId = await OnboardAsync(body);
        var other = Guid.NewGuid().ToString();
        foreach (var folder in new[] { "contoso/records", "contoso/csv" })
        {
            foreach (var id in new[] { tenantId, other })
            {
                Directory.CreateDirectory(Path.Combine(Api.TenantSinkRoot, folder, id));
                await File.WriteAllTextAsync(Path.Combine(Api.TenantSinkRoot, folder, id, "siem.jsonl"), "{}\n");
            }
        }

        var purged = await Admin.DeleteAsync($"/tenants/{tenantId}?purge=true");

        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.True((await BodyAsync(purged))["deliveredDataDeleted"]!.GetValue<bool>());
        foreach (var folder in new[] { "contoso/records", "contoso/csv" })
        {
            Assert.False(Directory.Exists(Path.Combine(Api.TenantSinkRoot, folder, tenantId)));
            Assert.True(Directory.Exists(Path.Combine(Api.TenantSinkRoot, folder, other)));
        }
    }

    private static JsonObject Hec(string token) => new()
    {
        ["name"] = "soc-hec", ["type"] = "hec", ["url"] = "https://hec.contoso.example:8088", ["token"] = token, ["index"] = "defender",
        ["sourceType"] = "ms:defender:{source}", ["gzip"] = true, ["headers"] = new JsonObject { ["X-Contoso-Key"] = "k-" + token },
    };

    [Fact]
    public async Task Sinks_given_at_onboarding_are_shown_without_secrets_and_kept_by_other_changes()
    {
        var body = TestTenants.Body();
        body["sinks"] = Sinks("replace",
            new JsonObject { ["name"] = "splunk-eu" },
            Hec("hec-token-1"),
            new JsonObject { ["name"] = "arcsight", ["type"] = "syslog", ["host"] = "arcsight.contoso.example", ["port"] = 6514, ["format"] = "CEF", ["tls"] = true },
            new JsonObject { ["name"] = "local", ["type"] = "jsonLines", ["folder"] = "contoso/records" },
            new JsonObject { ["name"] = "loopback", ["type"] = "http", ["url"] = "http://127.0.0.1:9000/ingest" });

        var tenantId = await OnboardAsync(body);
        var shown = (await BodyAsync(await Reader.GetAsync($"/tenants/{tenantId}")))["sinks"]!;

        Assert.Equal("replace", shown["mode"]!.GetValue<string>());
        var sinks = shown["sinks"]!.AsArray();
        Assert.Equal(["splunk-eu", "soc-hec", "arcsight", "local", "loopback"], sinks.Select(sink => sink!["name"]!.GetValue<string>()));
        Assert.Equal("""{"name":"splunk-eu"}""", sinks[0]!.ToJsonString());
        Assert.Equal("***", sinks[1]!["token"]!.GetValue<string>());
        Assert.Equal("***", sinks[1]!["headers"]!["X-Contoso-Key"]!.GetValue<string>());
        Assert.Equal(("hec", "defender", true), (sinks[1]!["type"]!.GetValue<string>(), sinks[1]!["index"]!.GetValue<string>(), sinks[1]!["gzip"]!.GetValue<bool>()));
        Assert.Equal(("syslog", 6514, "cef", true), (sinks[2]!["type"]!.GetValue<string>(), sinks[2]!["port"]!.GetValue<int>(),
            sinks[2]!["format"]!.GetValue<string>(), sinks[2]!["tls"]!.GetValue<bool>()));
        Assert.Equal("contoso/records", sinks[3]!["folder"]!.GetValue<string>());
        Assert.DoesNotContain("hec-token-1", shown.ToJsonString(), StringComparison.Ordinal);

        var patched = await Admin.PatchAsync($"/tenants/{tenantId}", JsonContent.Create(new { displayName = "Contoso SOC" }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(5, (await BodyAsync(patched))["sinks"]!["sinks"]!.AsArray().Count);
    }

    [Fact]
    public async Task Patch_replaces_the_sinks_and_null_or_an_empty_addition_goes_back_to_the_defaults()
    {
        var tenantId = await OnboardAsync();
        Assert.Null((await BodyAsync(await Reader.GetAsync($"/tenants/{tenantId}")))["sinks"]);

        var added = await Admin.PatchAsync($"/tenants/{tenantId}", JsonContent.Create(new JsonObject { ["sinks"] = Sinks("add", Hec("t2")) }));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("add", (await BodyAsync(added))["sinks"]!["mode"]!.GetValue<string>());

        var cleared = await Admin.PatchAsync($"/tenants/{tenantId}", TestTenants.Json("""{"sinks":null}"""));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null((await BodyAsync(cleared))["sinks"]);

        await Admin.PatchAsync($"/tenants/{tenantId}", JsonContent.Create(new JsonObject { ["sinks"] = Sinks("replace", Hec("t3")) }));
        var emptied = await Admin.PatchAsync($"/tenants/{tenantId}", JsonContent.Create(new JsonObject { ["sinks"] = Sinks("add") }));
        Assert.Equal(HttpStatusCode.OK, emptied.StatusCode);
        Assert.Null((await BodyAsync(emptied))["sinks"]);
    }

    [Fact]
    public async Task A_patch_of_sinks_honours_if_match()
    {
        var tenantId = await OnboardAsync();
        var stale = (await Reader.GetAsync($"/tenants/{tenantId}")).Headers.ETag!;
        await Admin.PatchAsync($"/tenants/{tenantId}", JsonContent.Create(new { displayName = "Newer" }));

        var request = new HttpRequestMessage(HttpMethod.Patch, $"/tenants/{tenantId}")
        {
            Content = JsonContent.Create(new JsonObject { ["sinks"] = Sinks("replace", Hec("t4")) }),
        };
        request.Headers.IfMatch.Add(stale);
        var response = await Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Null((await BodyAsync(await Reader.GetAsync($"/tenants/{tenantId}")))["sinks"]);
    }

    [Fact]
    public async Task Bulk_json_onboards_tenants_with_their_sinks()
    {
        var tenantId = Guid.NewGuid().ToString();
        var body = TestTenants.Body(tenantId);
        body["sinks"] = Sinks("add", new JsonObject { ["name"] = "splunk-eu" });

        var response = await Admin.PostAsync("/tenants/bulk", JsonContent.Create(new JsonArray(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var shown = (await BodyAsync(await Reader.GetAsync($"/tenants/{tenantId}")))["sinks"]!;
        Assert.Equal("""{"mode":"add","sinks":[{"name":"splunk-eu"}]}""", shown.ToJsonString());
    }
}
