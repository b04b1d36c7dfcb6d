using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class MembershipTableTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(20);

    private readonly ManualTimeProvider _time = new();
    private BlobContainerClient _container = null!;
    private MembershipTable _table = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _container = await azurite.CreateContainerAsync("members");
        _table = new MembershipTable(_container, "silos/", StaleAfter, _time);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_heartbeat_is_stored_as_silos_id_json_with_every_field()
    {
        var heartbeat = Heartbeat("silo-1") with { Endpoint = "http://10.0.0.4:8080", OwnedTenants = 17, Version = "1.2.3" };

        await _table.WriteAsync(heartbeat, Ct);

        Assert.True((await _container.GetBlobClient("silos/silo-1.json").ExistsAsync(Ct)).Value);
        var entry = Assert.Single(await _table.ReadAllAsync(Ct));
        Assert.Equal(heartbeat, entry.Heartbeat);
        Assert.True(entry.IsLive);
    }

    [Fact]
    public async Task A_silo_is_live_while_its_heartbeat_is_fresh_and_dead_after_the_threshold()
    {
        await _table.WriteAsync(Heartbeat("silo-1"), Ct);

        _time.Advance(StaleAfter);
        var atThreshold = Assert.Single(await _table.ReadAllAsync(Ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        var past = Assert.Single(await _table.ReadAllAsync(Ct));

        Assert.True(atThreshold.IsLive);
        Assert.False(past.IsLive);
    }

    [Fact]
    public async Task Stale_entries_are_removed_and_fresh_ones_kept()
    {
        await _table.WriteAsync(Heartbeat("old"), Ct);
        _time.Advance(StaleAfter + TimeSpan.FromSeconds(1));
        await _table.WriteAsync(Heartbeat("fresh"), Ct);

        var removed = await _table.RemoveStaleAsync(await _table.ReadAllAsync(Ct), Ct);

        Assert.Equal(["old"], removed);
        Assert.Equal(["fresh"], (await _table.ReadAllAsync(Ct)).Select(e => e.Heartbeat.SiloId));
    }

    [Fact]
    public async Task A_stale_entry_rewritten_since_it_was_read_is_not_removed()
    {
        await _table.WriteAsync(Heartbeat("sleepy"), Ct);
        _time.Advance(StaleAfter + TimeSpan.FromSeconds(1));
        var seen = await _table.ReadAllAsync(Ct);

        await _table.WriteAsync(Heartbeat("sleepy"), Ct);
        var removed = await _table.RemoveStaleAsync(seen, Ct);

        Assert.Empty(removed);
        Assert.True(Assert.Single(await _table.ReadAllAsync(Ct)).IsLive);
    }

    [Fact]
    public async Task Unreadable_heartbeats_are_ignored()
    {
        await _container.GetBlobClient("silos/garbage.json").UploadAsync(BinaryData.FromString("not json"), overwrite: true, Ct);
        await _table.WriteAsync(Heartbeat("silo-1"), Ct);

        var entries = await _table.ReadAllAsync(Ct);

        Assert.Equal(["silo-1"], entries.Select(e => e.Heartbeat.SiloId));
    }

    [Fact]
    public async Task A_missing_container_is_an_empty_table()
    {
        var table = new MembershipTable(azurite.NewContainer("absent"), "silos/", StaleAfter, _time);

        Assert.Empty(await table.ReadAllAsync(Ct));
    }

    private SiloHeartbeat Heartbeat(string siloId) => new()
    {
        SiloId = siloId,
        StartedAt = ManualTimeProvider.DefaultStart,
        LastHeartbeat = _time.GetUtcNow(),
    };
}
