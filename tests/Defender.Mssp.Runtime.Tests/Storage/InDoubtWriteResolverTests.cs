using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Runtime.Tests.Storage;

/// <summary>
/// A write whose answer was lost may have landed; the writer's next write then meets its own state under a new ETag.
/// That is resolved, and only that: a state nobody of this writer wrote stays a conflict.
/// </summary>
public sealed class InDoubtWriteResolverTests
{
    private const string Key = "tenant-1";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly InMemoryGrainStorage _store = new();
    private readonly LosingAnswers _network;
    private readonly InDoubtWriteResolver _storage;

    public InDoubtWriteResolverTests()
    {
        _network = new LosingAnswers(_store);
        _storage = new InDoubtWriteResolver(_network);
    }

    [Fact]
    public async Task A_write_after_one_that_landed_without_an_answer_succeeds_against_the_stored_etag()
    {
        var etag = await _storage.WriteAsync(Key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        _network.LoseNextAnswer = true;
        await Assert.ThrowsAsync<IOException>(() => _storage.WriteAsync(Key, TestState.Sample() with { Count = 2 }, new StorageConditions(etag), Ct));

        var next = await _storage.WriteAsync(Key, TestState.Sample() with { Count = 3 }, new StorageConditions(etag), Ct);

        var stored = await _store.ReadAsync<TestState>(Key, Ct);
        Assert.Equal(3, stored!.State.Count);
        Assert.Equal(next, stored.ETag);
    }

    [Fact]
    public async Task A_create_that_landed_without_an_answer_is_followed_by_an_update()
    {
        _network.LoseNextAnswer = true;
        await Assert.ThrowsAsync<IOException>(() => _storage.WriteAsync(Key, TestState.Sample(), StorageConditions.CreateNew(), Ct));

        await _storage.WriteAsync(Key, TestState.Sample() with { Count = 2 }, StorageConditions.CreateNew(), Ct);

        Assert.Equal(2, (await _store.ReadAsync<TestState>(Key, Ct))!.State.Count);
    }

    [Fact]
    public async Task A_state_written_by_someone_else_after_a_lost_answer_is_still_a_conflict()
    {
        var etag = await _storage.WriteAsync(Key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        _network.LoseNextAnswer = true;
        await Assert.ThrowsAsync<IOException>(() => _storage.WriteAsync(Key, TestState.Sample() with { Count = 2 }, new StorageConditions(etag), Ct));
        var landed = (await _store.ReadAsync<TestState>(Key, Ct))!.ETag;
        await _store.WriteAsync(Key, TestState.Sample() with { Count = 99 }, new StorageConditions(landed), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteAsync(Key, TestState.Sample() with { Count = 3 }, new StorageConditions(etag), Ct));

        Assert.Equal(99, (await _store.ReadAsync<TestState>(Key, Ct))!.State.Count);
    }

    [Fact]
    public async Task A_stale_etag_without_a_write_in_doubt_is_a_conflict()
    {
        var etag = await _storage.WriteAsync(Key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        await _storage.WriteAsync(Key, TestState.Sample() with { Count = 2 }, new StorageConditions(etag), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteAsync(Key, TestState.Sample() with { Count = 3 }, new StorageConditions(etag), Ct));
    }

    [Fact]
    public async Task A_write_that_failed_before_reaching_storage_leaves_the_next_write_unaffected()
    {
        var etag = await _storage.WriteAsync(Key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        _network.FailNextRequest = true;
        await Assert.ThrowsAsync<IOException>(() => _storage.WriteAsync(Key, TestState.Sample() with { Count = 2 }, new StorageConditions(etag), Ct));

        await _storage.WriteAsync(Key, TestState.Sample() with { Count = 3 }, new StorageConditions(etag), Ct);

        Assert.Equal(3, (await _store.ReadAsync<TestState>(Key, Ct))!.State.Count);
    }

    /// <summary>Storage behind a network that can drop a request, or apply it and drop its answer.</summary>
    private sealed class LosingAnswers(IGrainStorage inner) : IGrainStorage
    {
        public bool LoseNextAnswer { get; set; }

        public bool FailNextRequest { get; set; }

        public Task<GrainStateEntry<T>?> ReadAsync<T>(string key, CancellationToken cancellationToken) where T : class =>
            inner.ReadAsync<T>(key, cancellationToken);

        public async Task<string> WriteAsync<T>(string key, T state, StorageConditions conditions, CancellationToken cancellationToken)
            where T : class
        {
            if (FailNextRequest)
            {
                FailNextRequest = false;
                throw new IOException("Connection refused");
            }

            var etag = await inner.WriteAsync(key, state, conditions, cancellationToken);
            if (LoseNextAnswer)
            {
                LoseNextAnswer = false;
                throw new IOException("Connection reset by peer");
            }

            return etag;
        }

        public Task DeleteAsync(string key, StorageConditions conditions, CancellationToken cancellationToken) =>
            inner.DeleteAsync(key, conditions, cancellationToken);
    }
}
