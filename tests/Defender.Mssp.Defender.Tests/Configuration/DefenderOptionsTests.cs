using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Tests.Configuration;

public class DefenderOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddDefenderClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    private static DefenderEndpointsOptions Endpoints(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        return services.GetRequiredService<IOptions<DefenderEndpointsOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_the_real_microsoft_hosts_per_cloud()
    {
        var options = Endpoints([]);

        Assert.Equal("https://login.microsoftonline.com/", options.For(DefenderCloud.Commercial).AuthorityHost.ToString());
        Assert.Equal("https://login.microsoftonline.com/", options.For(DefenderCloud.Gcc).AuthorityHost.ToString());
        Assert.Equal("https://login.microsoftonline.us/", options.For(DefenderCloud.GccHigh).AuthorityHost.ToString());
        Assert.Equal("https://login.microsoftonline.us/", options.For(DefenderCloud.DoD).AuthorityHost.ToString());
        Assert.Equal("https://api.security.microsoft.com/", options.Commercial.XdrApiBase.ToString());
        Assert.Equal("https://api-gcc.security.microsoft.us/", options.Gcc.XdrApiBase.ToString());
        Assert.Equal("https://api-gov.securitycenter.microsoft.us/", options.DoD.EndpointApiBase.ToString());
        Assert.Equal("https://dod-graph.microsoft.us/", options.DoD.GraphBase.ToString());
        Assert.Equal("https://wdatp-alertexporter-eu.windows.com/", options.Commercial.SiemBaseFor("eu")!.ToString());
        Assert.Equal("https://wdatp-alertexporter-uk.windows.com/", options.Commercial.SiemBaseFor("UK")!.ToString());
        Assert.Equal("https://api.security.microsoft.com", options.Commercial.IncidentsResource);
        Assert.Equal("https://graph.windows.net", options.Commercial.SiemResource);
        Assert.Equal("https://api-gov.security.microsoft.us", options.GccHigh.IncidentsResource);
    }

    [Fact]
    public void Every_endpoint_can_be_pointed_at_one_host_while_resources_stay()
    {
        var options = Endpoints(new(DefenderEndpointsConfiguration.AllAt(new Uri("https://127.0.0.1:7443/"))));

        foreach (var (_, cloud) in options.All())
        {
            Assert.All(
                new[] { cloud.AuthorityHost, cloud.XdrApiBase, cloud.EndpointApiBase, cloud.GraphBase }
                    .Concat(cloud.SiemBases.Values),
                url => Assert.Equal("https://127.0.0.1:7443/", url.ToString()));
        }

        Assert.Equal("https://api.security.microsoft.com", options.Commercial.IncidentsResource);
    }

    [Fact]
    public void Overriding_one_siem_region_keeps_the_others()
    {
        var options = Endpoints(new() { ["Defender:Commercial:SiemBases:eu"] = "https://siem.test" });

        Assert.Equal("https://siem.test/", options.Commercial.SiemBaseFor("eu")!.ToString());
        Assert.Equal("https://wdatp-alertexporter-us.windows.com/", options.Commercial.SiemBaseFor("us")!.ToString());
    }

    [Fact]
    public void Client_options_bind_from_the_defender_section()
    {
        using var services = Build(new() { ["Defender:SiemPageLimit"] = "25", ["Defender:SiloId"] = "silo-7" });

        var options = services.GetRequiredService<IOptions<DefenderClientOptions>>().Value;

        Assert.Equal(25, options.SiemPageLimit);
        Assert.Equal("silo-7", options.SiloId);
        Assert.Equal(DefenderClientOptions.MaxIncidentsPageSize, options.IncidentsPageSize);
    }

    [Theory]
    [InlineData("Defender:Commercial:AuthorityHost", "http://login.test")]
    [InlineData("Defender:GccHigh:AuthorityHost", "https://login.test/tenant")]
    [InlineData("Defender:Commercial:XdrApiBase", "not a url")]
    [InlineData("Defender:Commercial:SiemResource", "")]
    [InlineData("Defender:SiemPageLimit", "0")]
    [InlineData("Defender:IncidentsPageSize", "101")]
    [InlineData("Defender:Http:TrustedCertificatesPath", "/nonexistent/anchors.pem")]
    public void Invalid_settings_fail_validation_at_start(string key, string value)
    {
        using var services = Build(new() { [key] = value });

        Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void Default_settings_pass_validation_at_start()
    {
        using var services = Build([]);

        services.GetRequiredService<IStartupValidator>().Validate();
    }
}
