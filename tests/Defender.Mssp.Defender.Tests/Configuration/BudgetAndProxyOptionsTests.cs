using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Tests.Configuration;

/// <summary>How <c>Defender:Budgets</c> and <c>Defender:Http:Proxy</c> bind and validate through <c>AddDefenderClients</c>.</summary>
public sealed class BudgetAndProxyOptionsTests
{
    private static T Options<T>(Dictionary<string, string?> values) where T : class
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var provider = new ServiceCollection().AddLogging().AddDefenderClients(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }

    [Fact]
    public void Budgets_default_to_the_documented_limits()
    {
        var budgets = Options<DefenderBudgetOptions>([]);

        Assert.True(budgets.Enabled);
        Assert.Equal(50, budgets.Apis[DefenderSources.Incidents].PerMinute);
        Assert.Equal(1_500, budgets.Apis[DefenderSources.Incidents].PerHour);
        Assert.Equal(100, budgets.Apis[DefenderSources.Alerts].PerMinute);
        Assert.Equal(1_500, budgets.Apis[DefenderSources.Alerts].PerHour);
        Assert.Equal(150, budgets.Apis[DefenderSources.GraphAlerts].PerMinute);
        Assert.Equal(130_000, budgets.Apis[DefenderSources.GraphIncidents].AppPer10Seconds);
        Assert.Equal(budgets.Apis[DefenderSources.GraphAlerts].AppScope, budgets.Apis[DefenderSources.GraphIncidents].AppScope);
        Assert.NotNull(budgets.Apis[DefenderSources.Siem].PerMinute);
    }

    [Fact]
    public void A_budget_key_overrides_only_itself_and_a_new_api_can_be_added()
    {
        var budgets = Options<DefenderBudgetOptions>(new()
        {
            ["Defender:Budgets:MaxWait"] = "00:00:30",
            ["Defender:Budgets:incidents:PerMinute"] = "10",
            ["Defender:Budgets:graph-alerts:AppPer10Seconds"] = "0",
            ["Defender:Budgets:some-api:PerHour"] = "60",
        });

        Assert.Equal(TimeSpan.FromSeconds(30), budgets.MaxWait);
        Assert.Equal(10, budgets.Apis[DefenderSources.Incidents].PerMinute);
        Assert.Equal(1_500, budgets.Apis[DefenderSources.Incidents].PerHour);
        Assert.Equal(0, budgets.Apis[DefenderSources.GraphAlerts].AppPer10Seconds);
        Assert.Equal(60, budgets.Apis["some-api"].PerHour);
        Assert.Null(budgets.Apis["some-api"].PerMinute);
    }

    [Fact]
    public void Budgets_can_be_switched_off()
    {
        Assert.False(Options<DefenderBudgetOptions>(new() { ["Defender:Budgets:Enabled"] = "false" }).Enabled);
    }

    [Fact]
    public void A_negative_limit_fails_validation_naming_the_api()
    {
        var error = Assert.Throws<OptionsValidationException>(
            () => Options<DefenderBudgetOptions>(new() { ["Defender:Budgets:alerts:PerMinute"] = "-5" }));

        Assert.Contains("Defender:Budgets:alerts", error.Message);
    }

    [Fact]
    public void The_proxy_binds_from_its_section()
    {
        var http = Options<DefenderHttpOptions>(new()
        {
            ["Defender:Http:Proxy:Address"] = "http://proxy.corp.example:3128",
            ["Defender:Http:Proxy:BypassList:0"] = ".corp.example",
            ["Defender:Http:Proxy:BypassList:1"] = "10.0.0.0/8,localhost",
            ["Defender:Http:Proxy:Username"] = "svc-mssp",
            ["Defender:Http:Proxy:Password"] = "pa55-w0rd",
        });

        Assert.Equal("http://proxy.corp.example:3128", http.Proxy.Address);
        Assert.Equal([".corp.example", "10.0.0.0/8,localhost"], http.Proxy.BypassList);
        Assert.Equal("svc-mssp", http.Proxy.Username);
        Assert.True(http.Proxy.UseEnvironment);
        Assert.DoesNotContain("pa55-w0rd", http.Proxy.ToString());
    }

    [Theory]
    [InlineData("ftp://proxy:21", null, null)]
    [InlineData("http://", null, null)]
    [InlineData("http://proxy:3128", null, "secret-pw")]
    public void An_unusable_proxy_setting_fails_at_start_without_showing_the_password(string address, string? user, string? password)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options<DefenderHttpOptions>(new()
        {
            ["Defender:Http:Proxy:Address"] = address,
            ["Defender:Http:Proxy:Username"] = user,
            ["Defender:Http:Proxy:Password"] = password,
        }));

        Assert.Contains("Defender:Http:Proxy", error.Message);
        Assert.DoesNotContain("secret-pw", error.Message);
    }

    [Fact]
    public void A_proxy_url_with_user_info_is_never_shown_with_it()
    {
        var options = new DefenderProxyOptions { Address = "http://user:hunter2@proxy.corp.example:8080" };

        Assert.DoesNotContain("hunter2", options.ToString());
        Assert.Contains("proxy.corp.example:8080", options.ToString());
    }
}
