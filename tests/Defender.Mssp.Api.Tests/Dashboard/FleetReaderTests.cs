using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Api.Tests.Dashboard;

/// <summary>The fleet as the dashboard reads it from real storage: documents, grain states, leases and heartbeats.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class FleetReaderTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    private FleetReader Fleet => Api.Services.GetRequiredService<FleetReader>();

    private IGrainStorage States => Api.Services.GetRequiredService<IGrainStorage>();

    [Fact]
    public async Task The_fleet_is_the_managed_tenants_and_the_leased_silo_configured_ones_but_not_orphaned_state()
    {
        var managed = await OnboardAsync();
        await States.WriteAsync(managed, new TenantGrainState { Health = TenantHealth.Healthy, OwnerSiloId = "silo-a" }, StorageConditions.CreateNew(), CancellationToken.None);
        var configured = Guid.NewGuid().ToString();
        await States.WriteAsync(configured, new TenantGrainState { OwnerSiloId = "silo-a" }, StorageConditions.CreateNew(), CancellationToken.None);
        var lease = Api.Container.GetBlobClient($"state/{configured}.json").GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));
        var orphan = Guid.NewGuid().ToString();
        await States.WriteAsync(orphan, new TenantGrainState(), StorageConditions.CreateNew(), CancellationToken.None);
        await Api.Services.GetRequiredService<MembershipTable>().WriteAsync(
            new SiloHeartbeat { SiloId = "silo-a", LastHeartbeat = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);

        try
        {
            var snapshot = await Fleet.ReadAsync(CancellationToken.None);

            Assert.Equal(new[] { managed, configured }.Order(StringComparer.Ordinal), snapshot.Tenants.Select(tenant => tenant.TenantId));
            var managedTenant = snapshot.Tenants.Single(tenant => tenant.TenantId == managed);
            Assert.Equal(("Contoso", TenantHealth.Healthy, false), (managedTenant.Document?.DisplayName, managedTenant.State?.Health, managedTenant.Leased));
            var configuredTenant = snapshot.Tenants.Single(tenant => tenant.TenantId == configured);
            Assert.Equal((null, "silo-a", true), (configuredTenant.Document, configuredTenant.State?.OwnerSiloId, configuredTenant.Leased));
            Assert.Equal("silo-a", Assert.Single(snapshot.Silos).Heartbeat.SiloId);
        }
        finally
        {
            await lease.ReleaseAsync();
        }
    }

    [Fact]
    public async Task A_second_read_sees_changed_state_and_documents_and_drops_deleted_tenants()
    {
        var kept = await OnboardAsync();
        var deleted = await OnboardAsync();
        var etag = await States.WriteAsync(kept, Delivered(5), StorageConditions.CreateNew(), CancellationToken.None);
        var first = await Fleet.ReadAsync(CancellationToken.None);

        await States.WriteAsync(kept, Delivered(9), new StorageConditions(etag), CancellationToken.None);
        await Admin.PostAsync($"/tenants/{kept}/pause", null);
        await Admin.DeleteAsync($"/tenants/{deleted}");
        var second = await Fleet.ReadAsync(CancellationToken.None);

        Assert.Equal(2, first.Tenants.Count);
        var tenant = Assert.Single(second.Tenants);
        Assert.Equal(kept, tenant.TenantId);
        Assert.Equal(9, tenant.State!.Sources["incidents"].RecordsDelivered);
        Assert.True(tenant.Document!.Paused);
    }

    [Fact]
    public async Task An_empty_container_is_an_empty_fleet()
    {
        var snapshot = await Fleet.ReadAsync(CancellationToken.None);

        Assert.Empty(snapshot.Tenants);
        Assert.Empty(snapshot.Silos);
    }

    private static TenantGrainState Delivered(long count) => new()
    {
        Sources = { ["incidents"] = new SourceCheckpoint { RecordsDelivered = count } },
    };
}
