using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Tenants;

public sealed class CombinedTenantCatalogTests
{
    [Fact]
    public async Task Tenants_of_all_catalogues_are_listed_and_the_first_wins_for_the_same_guid_however_spelled()
    {
        var fromApi = Settings("6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01", "api");
        var fromConfiguration = Settings("6F1C2B9E-1D3A-4C55-9A0E-2B7F5D8C1E01", "configuration");
        var onlyConfigured = Settings("0b6e1d52-8c9a-4f3e-b1d7-5a2c9e4f8b10", "configuration");

        var combined = await new CombinedTenantCatalog(new Fixed(fromApi), new Fixed(fromConfiguration, onlyConfigured)).ListAsync(CancellationToken.None);

        Assert.Equal([fromApi, onlyConfigured], combined);
    }

    private static TenantSettings Settings(string tenantId, string origin) =>
        new() { TenantId = tenantId, ClientId = Guid.NewGuid().ToString(), DisplayName = origin };

    private sealed class Fixed(params TenantSettings[] tenants) : ITenantCatalog
    {
        public ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<TenantSettings>>(tenants);
    }
}
