using System.Net;
using System.Text;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Microsoft.AspNetCore.WebUtilities;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Sources;

public class IncidentsSourceTests
{
    [Fact]
    public async Task Reads_every_page_until_a_short_page()
    {
        var api = new FakeIncidentsApi();
        for (var id = 1; id <= 250; id++)
        {
            api.Incidents.Add((id, Start.AddMinutes(id)));
        }

        using var services = new DefenderTestServices(api.Respond);

        var records = await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 250), records.Select(r => int.Parse(r.Id)).Order());
        Assert.Equal(["0", "100", "200"], services.Handler.Requests.Select(r => QueryHelpers.ParseQuery(r.Uri.Query)["$skip"].ToString()));
    }

    [Theory]
    [InlineData(99, 1)]
    [InlineData(100, 2)]
    [InlineData(0, 1)]
    public async Task Stops_at_the_first_page_shorter_than_top(int incidents, int expectedRequests)
    {
        var api = new FakeIncidentsApi();
        for (var id = 1; id <= incidents; id++)
        {
            api.Incidents.Add((id, Start.AddSeconds(id)));
        }

        using var services = new DefenderTestServices(api.Respond);

        var records = await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(incidents, records.Count);
        Assert.Equal(expectedRequests, services.Handler.Requests.Count);
    }

    [Fact]
    public async Task Query_filters_the_window_with_ge_and_lt_in_seven_digit_utc_and_pages_with_top_and_skip()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond);
        var window = new RecordWindow(
            new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567),
            new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));

        await services.Incidents.ReadAsync(Tenant(), window, default).ToListAsync();

        var uri = Assert.Single(services.Handler.Requests).Uri;
        Assert.Equal("https://defender.test/api/incidents", uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            "?$filter=lastUpdateTime%20ge%202026-03-01T08%3A00%3A00.1234567Z%20and%20lastUpdateTime%20lt%202026-03-01T09%3A30%3A00.0000000Z&$top=100&$skip=0",
            uri.Query);
        Assert.Equal("lastUpdateTime ge 2026-03-01T08:00:00.1234567Z and lastUpdateTime lt 2026-03-01T09:30:00.0000000Z",
            QueryHelpers.ParseQuery(uri.Query)["$filter"].ToString());
    }

    [Fact]
    public async Task Record_id_is_the_incident_number_as_text_and_raw_is_the_incident_exactly_as_served()
    {
        const string incident = "{ \"incidentId\" : 924565 ,\n  \"lastUpdateTime\":\"2026-03-01T08:15:30.1234567Z\", \"title\":\"caf\\u00e9 ☕\" }";
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json($"{{\"value\":[{incident}]}}"));

        var record = Assert.Single(await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal("924565", record.Id);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 15, 30, TimeSpan.Zero).AddTicks(1234567), record.LastUpdateTime);
        Assert.Equal(Encoding.UTF8.GetBytes(incident), record.Raw.ToArray());
    }

    [Fact]
    public async Task A_full_page_that_adds_nothing_new_ends_the_read_instead_of_looping()
    {
        var api = new FakeIncidentsApi { IgnoreSkip = true };
        for (var id = 1; id <= 100; id++)
        {
            api.Incidents.Add((id, Start.AddSeconds(id)));
        }

        using var services = new DefenderTestServices(api.Respond);

        var records = await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(100, records.Count);
        Assert.Equal(2, services.Handler.Requests.Count);
    }

    [Fact]
    public async Task Every_request_carries_bearer_token_tenant_silo_and_client_request_ids()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond);
        var tenant = Tenant();

        await services.Incidents.ReadAsync(tenant, Day, default).ToListAsync();
        await services.Incidents.ReadAsync(tenant, Day, default).ToListAsync();

        var requests = services.Handler.Requests.ToArray();
        Assert.All(requests, r =>
        {
            Assert.Equal("Bearer " + FakeTokenProvider.TokenText(tenant.TenantId, 1), r.Header("Authorization"));
            Assert.Equal(tenant.TenantId, r.Header("X-Mssp-Tenant-Id"));
            Assert.Equal("silo-a", r.Header("X-Mssp-Silo-Id"));
            Assert.True(Guid.TryParse(r.Header("client-request-id"), out _));
        });
        Assert.NotEqual(requests[0].Header("client-request-id"), requests[1].Header("client-request-id"));
        Assert.All(services.Tokens.Calls, c => Assert.Equal("https://api.security.microsoft.com", c.Resource));
    }

    [Fact]
    public async Task Silo_header_is_omitted_when_no_silo_id_is_configured()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond,
            new Dictionary<string, string?> { ["Defender:SiloId"] = "" });

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Null(Assert.Single(services.Handler.Requests).Header("X-Mssp-Silo-Id"));
    }

    [Fact]
    public async Task A_page_that_does_not_parse_fails_without_retrying()
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json("{\"value\":[{\"incidentId\":1,"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal("MalformedResponse", error.ErrorCode);
        Assert.Equal(DefenderSources.Incidents, error.SourceName);
        Assert.Single(services.Handler.Requests);
        Assert.Empty(services.DeadLetters.Letters);
    }

    [Fact]
    public async Task A_record_that_cannot_be_parsed_is_dead_lettered_raw_with_its_reason_and_the_rest_of_the_page_read()
    {
        const string poison = "{\"incidentId\":1,\"lastUpdateTime\":\"yesterday-ish\"}";
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json(
            "{\"value\":[" + poison + ",{\"incidentId\":2,\"lastUpdateTime\":\"2026-01-05T07:00:00Z\"},{\"lastUpdateTime\":\"2026-01-05T07:00:00Z\"}]}"));
        var tenant = Tenant();

        var records = await services.Incidents.ReadAsync(tenant, Day, default).ToListAsync();

        Assert.Equal("2", Assert.Single(records).Id);
        var letters = services.DeadLetters.Letters;
        Assert.Equal(2, letters.Count);
        Assert.Equal(poison, System.Text.Encoding.UTF8.GetString(letters[0].Raw.Span));
        Assert.Contains("not a timestamp", letters[0].Reason);
        Assert.Contains("incidentId", letters[1].Reason);
        Assert.All(letters, l => Assert.Equal((tenant.TenantId, DefenderSources.Incidents), (l.TenantId, l.Source)));
    }

    [Fact]
    public async Task A_poison_record_read_again_in_the_overlap_is_dead_lettered_once()
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json("{\"value\":[{\"incidentId\":7}]}"));

        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();
        await services.Incidents.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Single(services.DeadLetters.Letters);
    }

    [Fact]
    public async Task Token_expiry_comes_from_the_token_cache_for_the_incidents_resource()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond);
        var tenant = Tenant();
        Assert.Null(services.Incidents.TokenExpiresOn(tenant));

        await services.Incidents.ReadAsync(tenant, Day, default).ToListAsync();

        Assert.Equal(services.Time.GetUtcNow().AddHours(1), services.Incidents.TokenExpiresOn(tenant));
        Assert.Null(services.Siem.TokenExpiresOn(tenant));
    }

    [Fact]
    public async Task Endpoints_of_the_tenants_cloud_are_used()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond, new Dictionary<string, string?>
        {
            ["Defender:GccHigh:XdrApiBase"] = "https://gov.defender.test/",
        });

        await services.Incidents.ReadAsync(Tenant() with { Cloud = Tenants.DefenderCloud.GccHigh }, Day, default).ToListAsync();

        Assert.Equal("gov.defender.test", Assert.Single(services.Handler.Requests).Uri.Host);
        Assert.Equal("https://api-gov.security.microsoft.us", Assert.Single(services.Tokens.Calls).Resource);
    }

    [Fact]
    public void Every_named_source_is_registered_once_as_a_record_source()
    {
        using var services = new DefenderTestServices(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var sources = (IEnumerable<IRecordSource>)services.Services.GetService(typeof(IEnumerable<IRecordSource>))!;

        Assert.Equal(DefenderSources.All.Order(), sources.Select(s => s.Name).Order());
    }
}
