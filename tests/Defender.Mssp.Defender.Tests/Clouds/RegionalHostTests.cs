using System.Net;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Clouds;

/// <summary>
/// A tenant's XDR region picks the regional incidents host; a region or cloud without a configured host fails with a
/// message naming the setting, before any request — a US Government tenant's token never goes to a commercial host.
/// </summary>
public class RegionalHostTests
{
    [Theory]
    [InlineData(null, "defender.test")]
    [InlineData("eu", "eu.defender.test")]
    [InlineData("UK", "uk.defender.test")]
    public async Task The_xdr_region_picks_the_incidents_host(string? region, string host)
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond, new Dictionary<string, string?>
        {
            ["Defender:Commercial:XdrRegionalBases:eu"] = "https://eu.defender.test",
            ["Defender:Commercial:XdrRegionalBases:uk"] = "https://uk.defender.test",
        });

        await services.Incidents.ReadAsync(Tenant() with { XdrRegion = region }, Day, default).ToListAsync();

        Assert.Equal(host, Assert.Single(services.Handler.Requests).Uri.Host);
    }

    [Fact]
    public async Task An_xdr_region_without_a_host_in_the_tenants_cloud_fails_before_any_request()
    {
        using var services = new DefenderTestServices(new FakeIncidentsApi().Respond);
        var tenant = Tenant() with { Cloud = DefenderCloud.GccHigh, XdrRegion = "zz" };

        var error = await Assert.ThrowsAsync<DefenderApiException>(() => services.Incidents.ReadAsync(tenant, Day, default).ToListAsync());

        Assert.Equal("UnknownXdrRegion", error.ErrorCode);
        Assert.Contains("Defender:GccHigh:XdrRegionalBases:zz", error.Message, StringComparison.Ordinal);
        Assert.Empty(services.Handler.Requests);
    }

    [Fact]
    public void The_real_regional_xdr_hosts_are_the_commercial_defaults_and_government_clouds_have_none()
    {
        Assert.Equal("eu.api.security.microsoft.com", DefenderCloudEndpoints.CommercialDefaults().XdrApiBaseFor("eu")!.Host);
        Assert.Equal("api-gov.security.microsoft.us", DefenderCloudEndpoints.GccHighDefaults().XdrApiBaseFor(null)!.Host);
        Assert.Null(DefenderCloudEndpoints.GccHighDefaults().XdrApiBaseFor("eu"));
    }

    [Fact]
    public void Government_clouds_have_no_siem_host_by_default_so_no_token_of_theirs_goes_to_a_commercial_one()
    {
        foreach (var endpoints in new[] { DefenderCloudEndpoints.GccDefaults(), DefenderCloudEndpoints.GccHighDefaults(), DefenderCloudEndpoints.DoDDefaults() })
        {
            Assert.All(new[] { "eu", "us", "uk" }, region => Assert.Null(endpoints.SiemBaseFor(region)));
        }

        Assert.All(new[] { "eu", "us", "uk" }, region => Assert.EndsWith(".windows.com", DefenderCloudEndpoints.CommercialDefaults().SiemBaseFor(region)!.Host, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_siem_region_without_a_host_fails_before_any_request_naming_the_setting()
    {
        using var services = new DefenderTestServices(_ => new HttpResponseMessage(HttpStatusCode.OK));

        var error = await Assert.ThrowsAsync<DefenderApiException>(
            () => services.Siem.ReadAsync(Tenant() with { Cloud = DefenderCloud.GccHigh, SiemRegion = "xx" }, Day, default).ToListAsync());

        Assert.Equal("UnknownSiemRegion", error.ErrorCode);
        Assert.Contains("Defender:GccHigh:SiemBases:xx", error.Message, StringComparison.Ordinal);
        Assert.Empty(services.Handler.Requests);
    }
}
