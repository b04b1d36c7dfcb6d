using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Microsoft.AspNetCore.WebUtilities;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Sources;

public class SiemSourceTests
{
    private static Dictionary<string, string?> Limit(int limit) => new() { ["Defender:SiemPageLimit"] = limit.ToString() };

    [Fact]
    public async Task A_window_cut_off_by_the_limit_is_split_until_nothing_is_lost()
    {
        var api = new FakeSiemApi();
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            // Clustered times: a burst in the first hour makes some halves denser than others.
            var offset = i < 120 ? TimeSpan.FromSeconds(random.Next(0, 3600)) : TimeSpan.FromSeconds(random.Next(0, 86_400));
            api.Alerts.Add(new FakeSiemApi.Alert($"da{i}", $"da{i}:full", Start + offset));
        }

        using var services = new DefenderTestServices(api.Respond, Limit(16));

        var records = await services.Siem.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(api.Alerts.Select(a => a.FullId).Order(), records.Select(r => r.Id).Order());
        Assert.True(services.Handler.Requests.Count > 200 / 16, "the full window alone cannot have held 200 alerts");
        // Windows that were accepted are exactly those whose answer was below the limit, and they tile the day.
        var accepted = services.Handler.Requests.Select(r => QueryHelpers.ParseQuery(r.Uri.Query))
            .Select(q => (From: DateTimeOffset.Parse(q["sinceTimeUtc"]!), To: DateTimeOffset.Parse(q["untilTimeUtc"]!)))
            .Where(w => api.Alerts.Count(a => a.LastProcessedTimeUtc >= w.From && a.LastProcessedTimeUtc < w.To) < 16)
            .OrderBy(w => w.From).ToList();
        Assert.Equal(Day.From, accepted[0].From);
        Assert.Equal(Day.To, accepted[^1].To);
        Assert.All(accepted.Zip(accepted.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
    }

    [Fact]
    public async Task A_window_below_the_limit_is_read_with_one_request()
    {
        var api = new FakeSiemApi();
        api.Alerts.Add(new FakeSiemApi.Alert("a1", null, Start.AddHours(1)));
        using var services = new DefenderTestServices(api.Respond, Limit(16));

        var records = await services.Siem.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Single(records);
        var query = QueryHelpers.ParseQuery(Assert.Single(services.Handler.Requests).Uri.Query);
        Assert.Equal("2026-03-01T08:00:00.0000000Z", query["sinceTimeUtc"].ToString());
        Assert.Equal("2026-03-02T08:00:00.0000000Z", query["untilTimeUtc"].ToString());
        Assert.Equal("16", query["limit"].ToString());
        Assert.False(query.ContainsKey("machinegroups"));
    }

    [Fact]
    public async Task A_window_still_full_at_the_minimum_span_fails_rather_than_drop_alerts()
    {
        var api = new FakeSiemApi();
        for (var i = 0; i < 5; i++)
        {
            api.Alerts.Add(new FakeSiemApi.Alert($"same{i}", null, Start.AddHours(3)));
        }

        using var services = new DefenderTestServices(api.Respond, Limit(5));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Siem.ReadAsync(Tenant(), Day, default).ToListAsync());

        Assert.Equal("WindowTooDense", error.ErrorCode);
        Assert.Equal(DefenderSources.Siem, error.SourceName);
        Assert.InRange(services.Handler.Requests.Count, 20, 200);
    }

    [Fact]
    public async Task Machine_groups_are_sent_as_repeated_parameters()
    {
        var api = new FakeSiemApi();
        api.Alerts.Add(new FakeSiemApi.Alert("a1", null, Start.AddHours(1), "UK Machines"));
        api.Alerts.Add(new FakeSiemApi.Alert("a2", null, Start.AddHours(1), "France"));
        api.Alerts.Add(new FakeSiemApi.Alert("a3", null, Start.AddHours(1), "Other"));
        using var services = new DefenderTestServices(api.Respond);

        var records = await services.Siem.ReadAsync(Tenant() with { MachineGroups = ["UK Machines", "France"] }, Day, default).ToListAsync();

        Assert.Equal(["a1", "a2"], records.Select(r => r.Id).Order());
        var uri = Assert.Single(services.Handler.Requests).Uri;
        Assert.EndsWith("&machinegroups=UK%20Machines&machinegroups=France", uri.Query);
    }

    [Fact]
    public async Task Record_id_is_FullId_else_AlertId_and_time_is_LastProcessedTimeUtc()
    {
        const string body = """
            [{"AlertId":"da1","FullId":"da1:R4xE=","LastProcessedTimeUtc":"2026-03-01T09:11:44.0779765Z"},
             {"AlertId":"da2","FullId":"","LastProcessedTimeUtc":"2026-03-01T09:12:00"},
             {"AlertId":"da3","LastProcessedTimeUtc":"2026-03-01T09:13:00Z"}]
            """;
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json(body));

        var records = await services.Siem.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.Equal(["da1:R4xE=", "da2", "da3"], records.Select(r => r.Id));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 11, 44, TimeSpan.Zero).AddTicks(779765), records[0].LastUpdateTime);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 12, 0, TimeSpan.Zero), records[1].LastUpdateTime);
    }

    [Theory]
    [InlineData("eu", "https://siem-eu.test/api/alerts")]
    [InlineData("UK", "https://siem-uk.test/api/alerts")]
    public async Task The_tenants_region_picks_the_host_and_the_siem_resource_is_requested(string region, string expected)
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json("[]"), new Dictionary<string, string?>
        {
            ["Defender:Commercial:SiemBases:eu"] = "https://siem-eu.test",
            ["Defender:Commercial:SiemBases:uk"] = "https://siem-uk.test",
        });

        await services.Siem.ReadAsync(Tenant() with { SiemRegion = region }, Day, default).ToListAsync();

        Assert.Equal(expected, Assert.Single(services.Handler.Requests).Uri.GetLeftPart(UriPartial.Path));
        Assert.Equal("https://graph.windows.net", Assert.Single(services.Tokens.Calls).Resource);
    }

    [Fact]
    public async Task An_unknown_region_fails_without_a_request()
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json("[]"));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Siem.ReadAsync(Tenant() with { SiemRegion = "mars" }, Day, default).ToListAsync());

        Assert.Equal("UnknownSiemRegion", error.ErrorCode);
        Assert.Empty(services.Handler.Requests);
    }

    [Fact]
    public async Task Token_expiry_is_reported_for_the_siem_resource()
    {
        using var services = new DefenderTestServices(_ => FakeIncidentsApi.Json("[]"));

        await services.Siem.ReadAsync(Tenant(), Day, default).ToListAsync();

        Assert.NotNull(services.Siem.TokenExpiresOn(Tenant()));
        Assert.Null(services.Incidents.TokenExpiresOn(Tenant()));
    }
}
