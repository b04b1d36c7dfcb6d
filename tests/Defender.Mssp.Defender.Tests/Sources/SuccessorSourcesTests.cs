using System.Net;
using System.Text;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Sources;

/// <summary>The successor sources' requests, record mapping and next-link safety, against scripted responses.</summary>
public class SuccessorSourcesTests
{
    private static readonly RecordWindow Window = new(
        new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567),
        new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public void All_five_sources_are_registered_and_the_successors_once_even_when_registered_twice()
    {
        using var services = new DefenderTestServices(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var collection = new ServiceCollection().AddLogging();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        collection.AddDefenderClients(configuration).AddDefenderClients(configuration);

        var names = services.Services.GetServices<IRecordSource>().Select(s => s.Name);
        using var twice = collection.BuildServiceProvider();

        Assert.Equal(DefenderSources.All.Order(), names.Order());
        var successors = new[] { DefenderSources.Alerts, DefenderSources.GraphAlerts, DefenderSources.GraphIncidents };
        Assert.Equal(successors, twice.GetServices<IRecordSource>().Select(s => s.Name).Where(successors.Contains).Order());
    }

    [Theory]
    [InlineData("Defender:GraphIncidentsPageSize", "51")]
    [InlineData("Defender:GraphAlertsPageSize", "1001")]
    [InlineData("Defender:AlertsPageSize", "10001")]
    [InlineData("Defender:AlertsPageSize", "0")]
    public void Page_sizes_above_the_apis_caps_are_refused_at_start(string key, string value)
    {
        using var services = new DefenderTestServices(_ => new HttpResponseMessage(HttpStatusCode.OK),
            new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.Services.GetRequiredService<IOptions<SuccessorSourceOptions>>().Value);
    }

    [Fact]
    public async Task Alerts_query_starts_at_the_window_with_ge_and_pages_with_top_skip_and_expand()
    {
        using var services = new DefenderTestServices(_ => Page("[]"));

        await services.Services.GetRequiredService<AlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync();

        var request = Assert.Single(services.Handler.Requests);
        Assert.Equal(
            "https://defender.test/api/alerts?$filter=lastUpdateTime%20ge%202026-03-01T08%3A00%3A00.1234567Z&$top=10000&$skip=0&$expand=evidence",
            request.Uri.AbsoluteUri);
        Assert.Equal("https://api.securitycenter.microsoft.com", Assert.Single(services.Tokens.Calls).Resource);
    }

    [Fact]
    public async Task Graph_queries_start_at_the_window_with_ge_and_use_the_graph_resource()
    {
        using var services = new DefenderTestServices(_ => Page("[]"),
            new Dictionary<string, string?> { ["Defender:GraphIncidentsExpandAlerts"] = "true" });

        await services.Services.GetRequiredService<GraphAlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync();
        await services.Services.GetRequiredService<GraphIncidentsSource>().ReadAsync(Tenant(), Window, default).ToListAsync();

        Assert.Equal(
            [
                "https://defender.test/v1.0/security/alerts_v2?$filter=lastUpdateDateTime%20ge%202026-03-01T08%3A00%3A00.1234567Z&$top=1000",
                "https://defender.test/v1.0/security/incidents?$filter=lastUpdateDateTime%20ge%202026-03-01T08%3A00%3A00.1234567Z&$top=50&$expand=alerts",
            ],
            services.Handler.Requests.Select(r => r.Uri.AbsoluteUri));
        Assert.All(services.Tokens.Calls, c => Assert.Equal("https://graph.microsoft.com", c.Resource));
    }

    [Fact]
    public async Task Records_are_keyed_by_id_and_the_apis_time_field_and_kept_byte_for_byte()
    {
        const string alert = "{ \"id\" : \"da638_1\", \"lastUpdateTime\":\"2026-03-01T08:15:30.1234567Z\", \"title\":\"caf\\u00e9\" }";
        const string graphAlert = "{\"id\":\"da638_1\",\"lastUpdateDateTime\":\"2026-03-01T08:15:31Z\",\"incidentId\":\"42\"}";
        const string incident = "{\"id\":\"42\",\"lastUpdateDateTime\":\"2026-03-01T08:15:32Z\",\"redirectIncidentId\":\"40\",\"status\":\"redirected\"}";
        using var services = new DefenderTestServices(request => request.RequestUri!.AbsolutePath switch
        {
            "/api/alerts" => Page($"[{alert}]"),
            "/v1.0/security/alerts_v2" => Page($"[{graphAlert}]"),
            _ => Page($"[{incident}]"),
        });

        var a = Assert.Single(await services.Services.GetRequiredService<AlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync());
        var g = Assert.Single(await services.Services.GetRequiredService<GraphAlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync());
        var i = Assert.Single(await services.Services.GetRequiredService<GraphIncidentsSource>().ReadAsync(Tenant(), Window, default).ToListAsync());

        Assert.Equal(new RecordKey("da638_1", new DateTimeOffset(2026, 3, 1, 8, 15, 30, TimeSpan.Zero).AddTicks(1234567)), a.Key);
        Assert.Equal(Encoding.UTF8.GetBytes(alert), a.Raw.ToArray());
        Assert.Equal(new RecordKey("da638_1", new DateTimeOffset(2026, 3, 1, 8, 15, 31, TimeSpan.Zero)), g.Key);
        Assert.Equal(new RecordKey("42", new DateTimeOffset(2026, 3, 1, 8, 15, 32, TimeSpan.Zero)), i.Key);
        Assert.Equal(Encoding.UTF8.GetBytes(incident), i.Raw.ToArray());
    }

    [Fact]
    public async Task Next_links_are_followed_as_given_until_a_page_has_none()
    {
        using var services = new DefenderTestServices(request => request.RequestUri!.Query.Contains("$skiptoken=2", StringComparison.Ordinal)
            ? Page("[" + GraphAlert("c") + "]")
            : request.RequestUri.Query.Contains("$skiptoken=1", StringComparison.Ordinal)
                ? Page("[" + GraphAlert("b") + "]", "https://defender.test/v1.0/security/alerts_v2?$top=1&$skiptoken=2")
                : Page("[" + GraphAlert("a") + "]", "https://defender.test/v1.0/security/alerts_v2?$top=1&$skiptoken=1"));

        var records = await services.Services.GetRequiredService<GraphAlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync();

        Assert.Equal(["a", "b", "c"], records.Select(r => r.Id));
        Assert.Equal(3, services.Handler.Requests.Count);
        Assert.All(services.Handler.Requests, r => Assert.Equal("Bearer " + FakeTokenProvider.TokenText(Tenant().TenantId, 1), r.Header("Authorization")));
    }

    [Theory]
    [InlineData("https://evil.test/v1.0/security/alerts_v2?$skiptoken=1")]
    [InlineData("http://defender.test/v1.0/security/alerts_v2?$skiptoken=1")]
    [InlineData("https://defender.test:8443/v1.0/security/alerts_v2?$skiptoken=1")]
    public async Task A_next_link_to_another_host_fails_the_read_and_gets_no_token(string link)
    {
        using var services = new DefenderTestServices(_ => Page("[" + GraphAlert("a") + "]", link));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Services.GetRequiredService<GraphAlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync());

        Assert.Equal("ForeignNextLink", error.ErrorCode);
        Assert.Single(services.Handler.Requests);
    }

    [Fact]
    public async Task A_next_link_sent_twice_fails_the_read_instead_of_looping()
    {
        using var services = new DefenderTestServices(_ => Page("[" + GraphAlert("a") + "]", "https://defender.test/v1.0/security/incidents?$skiptoken=same"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Services.GetRequiredService<GraphIncidentsSource>().ReadAsync(Tenant(), Window, default).ToListAsync());

        Assert.Equal("NextLinkLoop", error.ErrorCode);
        Assert.Equal(2, services.Handler.Requests.Count);
    }

    [Fact]
    public async Task Full_alert_pages_go_on_by_skip_and_repeats_are_dropped()
    {
        var alerts = Enumerable.Range(0, 5).Select(i => $"{{\"id\":\"a{i}\",\"lastUpdateTime\":\"2026-03-01T08:1{i}:00Z\"}}").ToArray();
        using var services = new DefenderTestServices(
            request =>
            {
                var skip = int.Parse(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.RequestUri!.Query)["$skip"].ToString());
                // A new alert raised between pages shifts the second page by one: a0..a1, then a1..a2 again, then a3..
                var page = skip switch { 0 => alerts[..2], 2 => alerts[1..3], 4 => alerts[3..5], _ => [] };
                return Page("[" + string.Join(",", page) + "]");
            },
            new Dictionary<string, string?> { ["Defender:AlertsPageSize"] = "2" });

        var records = await services.Services.GetRequiredService<AlertsSource>().ReadAsync(Tenant(), Window, default).ToListAsync();

        Assert.Equal(["a0", "a1", "a2", "a3", "a4"], records.Select(r => r.Id));
        Assert.Equal(4, services.Handler.Requests.Count);
    }

    private static string GraphAlert(string id) => $"{{\"id\":\"{id}\",\"lastUpdateDateTime\":\"2026-03-01T08:15:00Z\"}}";

    private static HttpResponseMessage Page(string values, string? nextLink = null) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(
            "{\"@odata.context\":\"x\"" + (nextLink is null ? "" : $",\"@odata.nextLink\":\"{nextLink}\"") + $",\"value\":{values}}}",
            Encoding.UTF8, "application/json"),
    };
}
