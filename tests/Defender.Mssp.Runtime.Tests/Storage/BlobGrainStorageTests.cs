using System.Text.Json;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Storage;

/// <summary>
/// What only the blob implementation does: the blob layout, and fencing by lease — a writer whose lease is gone is
/// rejected by storage with <see cref="LeaseLostException"/>.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobGrainStorageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    private readonly string _key = "tenant-" + Guid.NewGuid().ToString("N");
    private BlobContainerClient _container = null!;
    private BlobGrainStorage _storage = null!;
    private string _etag = null!;

    private static CancellationToken Ct => CancellationToken.None;

    private BlobClient StateBlob => _container.GetBlobClient(_storage.BlobName(_key));

    public async Task InitializeAsync()
    {
        _container = azurite.NewContainer();
        _storage = new BlobGrainStorage(_container);
        _etag = await _storage.WriteAsync(_key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task State_is_one_camel_case_json_blob_under_the_state_prefix()
    {
        var download = await _container.GetBlobClient($"state/{_key}.json").DownloadContentAsync(Ct);

        Assert.Equal("application/json", download.Value.Details.ContentType);
        Assert.Equal(_etag, download.Value.Details.ETag.ToString());
        using var json = JsonDocument.Parse(download.Value.Content);
        Assert.Equal("Contoso", json.RootElement.GetProperty("name").GetString());
        Assert.Equal("Degraded", json.RootElement.GetProperty("health").GetString());
    }

    [Fact]
    public async Task The_prefix_is_configurable()
    {
        var tenants = new BlobGrainStorage(_container, "tenants/");

        await tenants.WriteAsync(_key, TestState.Sample(), StorageConditions.CreateNew(), Ct);

        Assert.True((await _container.GetBlobClient($"tenants/{_key}.json").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task A_write_carrying_the_held_lease_succeeds()
    {
        var lease = StateBlob.GetBlobLeaseClient();
        await lease.AcquireAsync(LeaseDuration, cancellationToken: Ct);

        var etag = await _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag, lease.LeaseId), Ct);
        await _storage.DeleteAsync(_key, new StorageConditions(etag, lease.LeaseId), Ct);

        Assert.Null(await _storage.ReadAsync<TestState>(_key, Ct));
    }

    [Fact]
    public async Task A_write_without_a_lease_id_to_a_leased_state_throws_LeaseLostException()
    {
        await StateBlob.GetBlobLeaseClient().AcquireAsync(LeaseDuration, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<LeaseLostException>(
            () => _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag), Ct));

        Assert.Equal(_key, e.Key);
        Assert.Equal(1, (await _storage.ReadAsync<TestState>(_key, Ct))!.State.Count);
    }

    [Fact]
    public async Task A_write_carrying_a_broken_lease_throws_LeaseLostException()
    {
        var lease = StateBlob.GetBlobLeaseClient();
        await lease.AcquireAsync(LeaseDuration, cancellationToken: Ct);
        await StateBlob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        await Assert.ThrowsAsync<LeaseLostException>(
            () => _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag, lease.LeaseId), Ct));
    }

    [Fact]
    public async Task A_write_carrying_a_lease_taken_over_by_another_owner_throws_LeaseLostException()
    {
        var deposed = StateBlob.GetBlobLeaseClient();
        await deposed.AcquireAsync(LeaseDuration, cancellationToken: Ct);
        await StateBlob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);
        var owner = StateBlob.GetBlobLeaseClient();
        await owner.AcquireAsync(LeaseDuration, cancellationToken: Ct);

        await Assert.ThrowsAsync<LeaseLostException>(
            () => _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag, deposed.LeaseId), Ct));
        await _storage.WriteAsync(_key, TestState.Sample() with { Count = 3 }, new StorageConditions(_etag, owner.LeaseId), Ct);
    }

    [Fact]
    public async Task A_write_carrying_a_lease_id_that_was_changed_throws_LeaseLostException()
    {
        var lease = StateBlob.GetBlobLeaseClient();
        await lease.AcquireAsync(LeaseDuration, cancellationToken: Ct);
        var oldId = lease.LeaseId;
        await lease.ChangeAsync(Guid.NewGuid().ToString(), cancellationToken: Ct);

        await Assert.ThrowsAsync<LeaseLostException>(
            () => _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag, oldId), Ct));
    }

    [Fact]
    public async Task A_delete_without_the_lease_throws_LeaseLostException_and_keeps_the_state()
    {
        await StateBlob.GetBlobLeaseClient().AcquireAsync(LeaseDuration, cancellationToken: Ct);

        await Assert.ThrowsAsync<LeaseLostException>(() => _storage.DeleteAsync(_key, new StorageConditions(_etag), Ct));

        Assert.NotNull(await _storage.ReadAsync<TestState>(_key, Ct));
    }

    [Fact]
    public async Task A_stale_etag_is_a_conflict_even_when_the_lease_is_held()
    {
        var lease = StateBlob.GetBlobLeaseClient();
        await lease.AcquireAsync(LeaseDuration, cancellationToken: Ct);
        await _storage.WriteAsync(_key, TestState.Sample() with { Count = 2 }, new StorageConditions(_etag, lease.LeaseId), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteAsync(_key, TestState.Sample() with { Count = 3 }, new StorageConditions(_etag, lease.LeaseId), Ct));
    }

    [Fact]
    public async Task Reading_from_a_container_that_does_not_exist_returns_null()
    {
        var storage = new BlobGrainStorage(azurite.NewContainer());

        Assert.Null(await storage.ReadAsync<TestState>(_key, Ct));
    }

    [Fact]
    public async Task Persistent_state_round_trips_through_blob_storage()
    {
        var state = new PersistentState<TestState>(_storage, "tenant-" + Guid.NewGuid().ToString("N"));
        await state.ReadStateAsync(Ct);
        Assert.False(state.RecordExists);

        state.State = TestState.Sample() with { Count = 5 };
        await state.WriteStateAsync(Ct);
        state.State = state.State with { Count = 6 };
        await state.WriteStateAsync(Ct);

        var reread = new PersistentState<TestState>(_storage, state.Key);
        await reread.ReadStateAsync(Ct);
        Assert.Equal((6, state.ETag), (reread.State.Count, reread.ETag));
    }
}
