using System.Net;
using Defender.Mssp.Api.Tests.Infrastructure;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Defender.Mssp.Api.Tests;

/// <summary>Status and cluster views read what the silos wrote: grain state, leases and heartbeats.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class StatusAndClusterTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    private readonly ManualTimeProvider _clock = new();

    protected override Action<IServiceCollection> Services => services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public async Task Status_of_a_tenant_not_polled_yet_is_unknown_and_unowned()
    {
        var id = await OnboardAsync();

        var status = await BodyAsync(await Reader.GetAsync($"/tenants/{id}/status"));

        Assert.Equal("Unknown", status["health"]!.GetValue<string>());
        Assert.False(status["leased"]!.GetValue<bool>());
        Assert.Null(status["ownerSiloId"]);
        Assert.Equal(0, status["recordsDelivered"]!.GetValue<long>());
        Assert.Equal(["incidents", "siem"], status["sources"]!.AsArray().Select(s => s!["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Status_reflects_the_grain_state_the_lease_and_the_owner_heartbeat()
    {
        var id = await OnboardAsync();
        await Api.Services.GetRequiredService<IGrainStorage>().WriteAsync(id, new TenantGrainState
        {
            Health = TenantHealth.AuthFailed,
            OwnerSiloId = "silo-a",
            LastPollStartedAt = Now.AddSeconds(-30),
            LastPollCompletedAt = Now.AddSeconds(-29),
            LastOutcome = PollOutcome.PartiallyFailed,
            TokenExpiresOn = Now.AddMinutes(50),
            LastError = new TenantError { Code = "AADSTS7000215", Message = "Invalid client secret provided.", Source = "siem", At = Now.AddSeconds(-29) },
            Sources =
            {
                ["incidents"] = new SourceCheckpoint { Watermark = Now.AddMinutes(-10), RecordsDelivered = 40, Health = TenantHealth.Healthy },
                ["siem"] = new SourceCheckpoint { RecordsDelivered = 2, Health = TenantHealth.AuthFailed, ConsecutiveFailures = 3 },
            },
        }, StorageConditions.CreateNew(), CancellationToken.None);
        var lease = Api.Container.GetBlobClient($"state/{id}.json").GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));
        await Membership().WriteAsync(new SiloHeartbeat { SiloId = "silo-a", LastHeartbeat = Now, StartedAt = Now.AddHours(-1) }, CancellationToken.None);

        try
        {
            var response = await Reader.GetAsync($"/tenants/{id}/status");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = await BodyAsync(response);
            Assert.Equal("AuthFailed", status["health"]!.GetValue<string>());
            Assert.Equal("silo-a", status["ownerSiloId"]!.GetValue<string>());
            Assert.True(status["ownerSiloLive"]!.GetValue<bool>());
            Assert.True(status["leased"]!.GetValue<bool>());
            Assert.Equal("PartiallyFailed", status["lastOutcome"]!.GetValue<string>());
            Assert.Equal(42, status["recordsDelivered"]!.GetValue<long>());
            Assert.Equal(Now.AddMinutes(50), status["tokenExpiresOn"]!.GetValue<DateTimeOffset>());
            Assert.Equal("AADSTS7000215", status["lastError"]!["code"]!.GetValue<string>());
            var incidents = status["sources"]!.AsArray().Single(s => s!["source"]!.GetValue<string>() == "incidents")!;
            Assert.Equal("00:10:00", incidents["lag"]!.GetValue<string>());
            Assert.Equal("Healthy", incidents["health"]!.GetValue<string>());
            var siem = status["sources"]!.AsArray().Single(s => s!["source"]!.GetValue<string>() == "siem")!;
            Assert.Null(siem["lag"]);
            Assert.Equal(3, siem["consecutiveFailures"]!.GetValue<int>());
        }
        finally
        {
            await lease.ReleaseAsync();
        }
    }

    [Fact]
    public async Task The_list_filters_by_health_as_the_grains_last_saved_it()
    {
        var failing = await OnboardAsync();
        var healthy = await OnboardAsync();
        var storage = Api.Services.GetRequiredService<IGrainStorage>();
        await storage.WriteAsync(failing, new TenantGrainState { Health = TenantHealth.AuthFailed }, StorageConditions.CreateNew(), CancellationToken.None);
        await storage.WriteAsync(healthy, new TenantGrainState { Health = TenantHealth.Healthy }, StorageConditions.CreateNew(), CancellationToken.None);

        var page = await BodyAsync(await Reader.GetAsync("/tenants?health=authfailed"));

        Assert.Equal([failing], page["items"]!.AsArray().Select(item => item!["tenantId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_cluster_view_lists_silos_with_liveness_and_who_owns_which_tenant()
    {
        var owned = await OnboardAsync();
        await OnboardAsync();
        await Api.Services.GetRequiredService<IGrainStorage>().WriteAsync(owned, new TenantGrainState { OwnerSiloId = "silo-a" },
            StorageConditions.CreateNew(), CancellationToken.None);
        var lease = Api.Container.GetBlobClient($"state/{owned}.json").GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(60));

        // A tenant a silo runs from its own configuration has no document, only its leased state.
        var configured = Guid.NewGuid().ToString();
        await Api.Services.GetRequiredService<IGrainStorage>().WriteAsync(configured, new TenantGrainState { OwnerSiloId = "silo-a" },
            StorageConditions.CreateNew(), CancellationToken.None);
        var configuredLease = Api.Container.GetBlobClient($"state/{configured}.json").GetBlobLeaseClient();
        await configuredLease.AcquireAsync(TimeSpan.FromSeconds(60));
        var membership = Membership();
        await membership.WriteAsync(new SiloHeartbeat { SiloId = "silo-a", LastHeartbeat = Now, OwnedTenants = 1, Endpoint = "http://a" }, CancellationToken.None);
        await membership.WriteAsync(new SiloHeartbeat { SiloId = "silo-b", LastHeartbeat = Now.AddMinutes(-5) }, CancellationToken.None);

        try
        {
            var cluster = await BodyAsync(await Reader.GetAsync("/cluster?includeTenants=true"));

            Assert.Equal(1, cluster["liveSilos"]!.GetValue<int>());
            Assert.Equal(3, cluster["tenants"]!.GetValue<int>());
            Assert.Equal(2, cluster["ownedTenants"]!.GetValue<int>());
            Assert.Equal(1, cluster["unownedTenants"]!.GetValue<int>());
            var silos = cluster["silos"]!.AsArray();
            Assert.Equal(["silo-a", "silo-b"], silos.Select(s => s!["siloId"]!.GetValue<string>()));
            Assert.Equal([true, false], silos.Select(s => s!["live"]!.GetValue<bool>()));
            Assert.Equal(new[] { owned, configured }.Order(StringComparer.Ordinal), silos[0]!["tenants"]!.AsArray().Select(t => t!.GetValue<string>()));
            Assert.Equal(1, silos[0]!["ownedTenants"]!.GetValue<int>());
            Assert.Null((await BodyAsync(await Reader.GetAsync("/cluster")))["silos"]![0]!["tenants"]);
        }
        finally
        {
            await lease.ReleaseAsync();
            await configuredLease.ReleaseAsync();
        }
    }

    private MembershipTable Membership() => new(Api.Container, ClusterOptions.DefaultSiloPrefix, ClusterOptions.DefaultSiloStaleAfter, _clock);
}
