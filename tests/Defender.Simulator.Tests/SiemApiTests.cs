using System.Net;
using System.Text.Json;

namespace Defender.Simulator.Tests;

public sealed class SiemApiTests
{
    /// <summary>The field names of seed 003's sample alert, in order.</summary>
    private static readonly string[] SeedFields =
    [
        "AlertTime", "ComputerDnsName", "AlertTitle", "Category", "Severity", "AlertId", "Actor", "LinkToWDATP", "IocName",
        "IocValue", "CreatorIocName", "CreatorIocValue", "Sha1", "FileName", "FilePath", "IpAddress", "Url", "IoaDefinitionId",
        "UserName", "AlertPart", "FullId", "LastProcessedTimeUtc", "ThreatCategory", "ThreatFamily", "ThreatName",
        "RemediationAction", "RemediationIsSuccess", "Source", "Md5", "Sha256", "WasExecutingWhileDetected", "UserDomain",
        "LogOnUsers", "MachineDomain", "MachineName", "InternalIPv4List", "InternalIPv6List", "FileHash", "DeviceID",
        "MachineGroup", "Description", "DeviceCreatedMachineTags", "CloudCreatedMachineTags", "CommandLine",
        "IncidentLinkToWDATP", "ReportID", "LinkToMTP", "IncidentLinkToMTP", "ExternalId", "IocUniqueId",
    ];

    private static readonly string Since = Uri.EscapeDataString(Wire.Format(TestSimulator.Start.AddHours(-3)));

    [Fact]
    public async Task Alerts_have_exactly_the_seed_field_set_and_full_id_joins_alert_id_and_ioc_id()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);

        var alerts = await GetAsync(sim, token, $"sinceTimeUtc={Since}");

        Assert.NotEmpty(alerts);
        Assert.All(alerts, a =>
        {
            Assert.Equal(SeedFields, a.EnumerateObject().Select(p => p.Name));
            Assert.Equal(
                a.GetProperty("AlertId").GetString() + ":" + a.GetProperty("IocUniqueId").GetString(),
                a.GetProperty("FullId").GetString());
        });
        Assert.Contains(alerts, a => a.GetProperty("AlertPart").GetInt32() == 1);
        Assert.Equal(alerts.Count, alerts.Select(a => a.GetProperty("FullId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task Since_and_until_are_both_inclusive_on_LastProcessedTimeUtc()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Since}");
        var middle = all[all.Count / 2];
        var time = Wire.Time(middle, "LastProcessedTimeUtc");
        var exact = Uri.EscapeDataString(Wire.Format(time));
        var after = Uri.EscapeDataString(Wire.Format(time.AddTicks(1)));
        var before = Uri.EscapeDataString(Wire.Format(time.AddTicks(-1)));

        var point = await GetAsync(sim, token, $"sinceTimeUtc={exact}&untilTimeUtc={exact}");
        var fromNext = await GetAsync(sim, token, $"sinceTimeUtc={after}");
        var untilPrevious = await GetAsync(sim, token, $"sinceTimeUtc={Since}&untilTimeUtc={before}");

        Assert.Contains(point, a => a.GetProperty("FullId").GetString() == middle.GetProperty("FullId").GetString());
        Assert.All(point, a => Assert.Equal(time, Wire.Time(a, "LastProcessedTimeUtc")));
        Assert.All(fromNext, a => Assert.True(Wire.Time(a, "LastProcessedTimeUtc") > time));
        Assert.All(untilPrevious, a => Assert.True(Wire.Time(a, "LastProcessedTimeUtc") < time));
        Assert.Equal(all.Count, point.Count + fromNext.Count + untilPrevious.Count);
    }

    [Fact]
    public async Task Ago_returns_the_alerts_processed_in_that_last_duration()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Since}");

        var recent = await GetAsync(sim, token, "ago=PT10M");

        var expected = all.Where(a => Wire.Time(a, "LastProcessedTimeUtc") >= TestSimulator.Start.AddMinutes(-10)).Select(FullId);
        Assert.NotEmpty(recent);
        Assert.Equal(expected, recent.Select(FullId));
    }

    [Fact]
    public async Task Limit_keeps_the_most_recent_alerts()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Since}");

        var limited = await GetAsync(sim, token, $"sinceTimeUtc={Since}&limit=5");

        Assert.Equal(all.TakeLast(5).Select(FullId), limited.Select(FullId));
        Assert.Equal(all.OrderBy(a => Wire.Time(a, "LastProcessedTimeUtc")).Select(FullId), all.Select(FullId));
    }

    [Fact]
    public async Task Machine_groups_filter_returns_alerts_of_any_given_group()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Since}");

        var filtered = await GetAsync(sim, token, $"sinceTimeUtc={Since}&machinegroups=Servers&machinegroups=UKMachines");

        var expected = all.Where(a => a.GetProperty("MachineGroup").GetString() is "Servers" or "UKMachines").Select(FullId).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < all.Count);
        Assert.Equal(expected, filtered.Select(FullId));
    }

    [Fact]
    public async Task Machine_tag_filters_match_tags_of_the_device()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Since}");
        var tag = all.Select(a => a.GetProperty("CloudCreatedMachineTags").GetString()!.Split(", ")[0]).First(t => t.Length > 0);

        var filtered = await GetAsync(sim, token, $"sinceTimeUtc={Since}&CloudCreatedMachineTags={Uri.EscapeDataString(tag)}");

        Assert.NotEmpty(filtered);
        Assert.All(filtered, a => Assert.Contains(tag, a.GetProperty("CloudCreatedMachineTags").GetString()!.Split(", ")));
        Assert.Equal(all.Count(a => a.GetProperty("CloudCreatedMachineTags").GetString()!.Split(", ").Contains(tag)), filtered.Count);
    }

    [Fact]
    public async Task Without_time_parameters_the_last_two_hours_are_returned()
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim, TestSimulator.Quiet() with { History = TimeSpan.FromHours(4) });
        var all = await GetAsync(sim, token, $"sinceTimeUtc={Uri.EscapeDataString(Wire.Format(TestSimulator.Start.AddHours(-5)))}");

        var defaulted = await GetAsync(sim, token, "");

        Assert.Contains(all, a => Wire.Time(a, "LastProcessedTimeUtc") < TestSimulator.Start.AddHours(-2));
        Assert.Equal(all.Where(a => Wire.Time(a, "LastProcessedTimeUtc") >= TestSimulator.Start.AddHours(-2)).Select(FullId), defaulted.Select(FullId));
    }

    [Theory]
    [InlineData("ago=10minutes")]
    [InlineData("limit=-1")]
    [InlineData("sinceTimeUtc=yesterday")]
    [InlineData("ago=PT10M&sinceTimeUtc=2026-03-01T10:00:00Z")]
    public async Task Invalid_parameters_are_400(string query)
    {
        await using var sim = await TestSimulator.StartAsync();
        var (_, token) = await TenantAsync(sim);

        using var response = await sim.GetAsync("api/alerts?" + query, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string FullId(JsonElement alert) => alert.GetProperty("FullId").GetString()!;

    private static async Task<(Guid TenantId, string Token)> TenantAsync(TestSimulator sim, Mssp.TestKit.Simulation.GeneratorSpec? generator = null)
    {
        var tenant = await sim.AddTenantAsync(generator ?? TestSimulator.Quiet(siemPerMinute: 3) with { SiemMultiDetectionShare = 0.3 });
        return (tenant.TenantId, await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource));
    }

    private static async Task<List<JsonElement>> GetAsync(TestSimulator sim, string token, string query) =>
        [.. (await sim.GetJsonAsync("api/alerts?" + query, token)).EnumerateArray()];
}
