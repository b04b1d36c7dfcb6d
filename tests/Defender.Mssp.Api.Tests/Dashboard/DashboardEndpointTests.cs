using System.Net;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests.Dashboard;

/// <summary>The dashboard's routes: the open page and files, and the authenticated data it shows.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class DashboardEndpointTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task The_page_is_the_same_for_everyone_and_may_run_only_its_own_files()
    {
        var anonymous = await Api.Anonymous().GetAsync("/");
        var asAdmin = await Admin.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal("text/html", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await anonymous.Content.ReadAsByteArrayAsync(), await asAdmin.Content.ReadAsByteArrayAsync());
        var policy = string.Join(";", anonymous.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("require-trusted-types-for 'script'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", anonymous.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("id=\"login-form\"", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_file_is_served_with_its_type_and_revalidated_by_its_etag()
    {
        var first = await Api.Anonymous().GetAsync("/dashboard/assets/app.js");
        var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/assets/app.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var revalidated = await Api.Anonymous().SendAsync(again);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/javascript", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Theory]
    [InlineData("/dashboard/assets/nothing.js")]
    [InlineData("/dashboard/assets/index.html")]
    [InlineData("/dashboard/assets/..%2Fappsettings.json")]
    public async Task Only_the_page_files_are_served(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Api.Anonymous().GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_session_tells_the_page_who_signed_in_and_whether_they_may_act()
    {
        var admin = await BodyAsync(await Admin.GetAsync("/dashboard/session"));
        var reader = await BodyAsync(await Reader.GetAsync("/dashboard/session"));

        Assert.Equal(("ops-admin", true), (admin["name"]!.GetValue<string>(), admin["canManage"]!.GetValue<bool>()));
        Assert.Equal(("soc-reader", false), (reader["name"]!.GetValue<string>(), reader["canManage"]!.GetValue<bool>()));
        Assert.Equal(["Reader"], reader["roles"]!.AsArray().Select(role => role!.GetValue<string>()));
        Assert.Equal("00:00:05", reader["refreshInterval"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_overview_shows_an_onboarded_tenant_before_any_silo_has_polled_it_and_is_never_cached()
    {
        var id = await OnboardAsync();

        var response = await Reader.GetAsync("/dashboard/overview");
        var overview = await BodyAsync(response);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var tenant = Assert.Single(overview["tenants"]!.AsArray())!;
        Assert.Equal(id, tenant["tenantId"]!.GetValue<string>());
        Assert.Equal("Contoso", tenant["displayName"]!.GetValue<string>());
        Assert.Equal("Unknown", tenant["health"]!.GetValue<string>());
        Assert.True(tenant["managed"]!.GetValue<bool>());
        Assert.False(tenant["leased"]!.GetValue<bool>());
        Assert.Empty(overview["silos"]!.AsArray());
        Assert.False(overview["stale"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_history_has_a_bucket_per_minute_over_the_last_hour_from_when_the_api_first_looked()
    {
        await Reader.GetAsync("/dashboard/overview");

        var history = await BodyAsync(await Reader.GetAsync("/dashboard/history"));

        Assert.Equal(60, history["buckets"]!.AsArray().Count);
        Assert.Equal("00:01:00", history["bucketWidth"]!.GetValue<string>());
        Assert.Equal("01:00:00", history["window"]!.GetValue<string>());
        Assert.NotNull(history["observingSince"]);
    }

    [Fact]
    public async Task Tenant_errors_are_asked_for_by_tenant_id()
    {
        var known = await BodyAsync(await Reader.GetAsync($"/dashboard/tenants/{Guid.NewGuid()}/errors"));

        Assert.Empty(known["errors"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await Reader.GetAsync("/dashboard/tenants/not-a-tenant/errors")).StatusCode);
    }

    [Fact]
    public async Task The_data_routes_answer_an_unauthenticated_page_with_401_and_the_api_key_challenge()
    {
        var response = await Api.Anonymous().GetAsync("/dashboard/overview");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == "ApiKey");
    }

    [Fact]
    public async Task Switched_off_the_dashboard_serves_nothing_and_the_api_works_as_before()
    {
        await using var api = new ApiFactory(Azurite, new Dictionary<string, string?> { ["Api:Dashboard:Enabled"] = "false" });

        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin().GetAsync("/dashboard/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin().GetAsync("/tenants")).StatusCode);
    }
}
