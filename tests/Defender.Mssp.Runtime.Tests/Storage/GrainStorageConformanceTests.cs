using Defender.Mssp.Storage;

namespace Defender.Mssp.Runtime.Tests.Storage;

/// <summary>
/// The <see cref="IGrainStorage"/> contract every implementation keeps: optimistic concurrency by ETag, create-only
/// writes, idempotent deletes. Derived classes supply the implementation.
/// </summary>
public abstract class GrainStorageConformanceTests
{
    private static CancellationToken Ct => CancellationToken.None;

    protected abstract Task<IGrainStorage> CreateStorageAsync();

    protected static string NewKey() => "tenant-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Reading_state_that_was_never_written_returns_null()
    {
        var storage = await CreateStorageAsync();

        Assert.Null(await storage.ReadAsync<TestState>(NewKey(), Ct));
    }

    [Fact]
    public async Task Created_state_reads_back_equal_with_the_etag_the_write_returned()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var state = TestState.Sample();

        var etag = await storage.WriteAsync(key, state, StorageConditions.CreateNew(), Ct);
        var read = await storage.ReadAsync<TestState>(key, Ct);

        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(state.Name, read.State.Name);
        Assert.Equal(state.Count, read.State.Count);
        Assert.Equal(state.Health, read.State.Health);
        Assert.Equal(state.Watermark, read.State.Watermark);
        Assert.Equal(state.Keys, read.State.Keys);
    }

    [Fact]
    public async Task Updating_with_the_current_etag_succeeds_and_yields_a_new_etag()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var first = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);

        var second = await storage.WriteAsync(key, TestState.Sample() with { Count = 2 }, new StorageConditions(first), Ct);

        Assert.NotEqual(first, second);
        var read = await storage.ReadAsync<TestState>(key, Ct);
        Assert.Equal((2, second), (read!.State.Count, read.ETag));
    }

    [Fact]
    public async Task Updating_with_a_stale_etag_throws_InconsistentStateException_and_keeps_the_newer_state()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var first = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        await storage.WriteAsync(key, TestState.Sample() with { Count = 2 }, new StorageConditions(first), Ct);

        var e = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(key, TestState.Sample() with { Count = 3 }, new StorageConditions(first), Ct));

        Assert.Equal((key, first), (e.Key, e.ExpectedETag));
        Assert.Equal(2, (await storage.ReadAsync<TestState>(key, Ct))!.State.Count);
    }

    [Fact]
    public async Task Creating_state_that_already_exists_throws_InconsistentStateException()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);

        var e = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(key, TestState.Sample() with { Count = 9 }, StorageConditions.CreateNew(), Ct));

        Assert.Null(e.ExpectedETag);
        Assert.Equal(1, (await storage.ReadAsync<TestState>(key, Ct))!.State.Count);
    }

    [Fact]
    public async Task Updating_state_that_does_not_exist_throws_InconsistentStateException()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var etag = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        await storage.DeleteAsync(key, new StorageConditions(etag), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(key, TestState.Sample(), new StorageConditions(etag), Ct));
    }

    [Fact]
    public async Task Deleting_with_the_current_etag_removes_the_state()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var etag = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);

        await storage.DeleteAsync(key, new StorageConditions(etag), Ct);

        Assert.Null(await storage.ReadAsync<TestState>(key, Ct));
        await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
    }

    [Fact]
    public async Task Deleting_with_a_stale_etag_throws_InconsistentStateException_and_keeps_the_state()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var first = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        await storage.WriteAsync(key, TestState.Sample() with { Count = 2 }, new StorageConditions(first), Ct);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.DeleteAsync(key, new StorageConditions(first), Ct));

        Assert.Equal(2, (await storage.ReadAsync<TestState>(key, Ct))!.State.Count);
    }

    [Fact]
    public async Task Deleting_state_that_is_not_there_succeeds()
    {
        var storage = await CreateStorageAsync();

        await storage.DeleteAsync(NewKey(), StorageConditions.CreateNew(), Ct);
    }

    [Fact]
    public async Task Deleting_state_that_is_already_gone_succeeds_whatever_etag_is_given()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var etag = await storage.WriteAsync(key, TestState.Sample(), StorageConditions.CreateNew(), Ct);
        await storage.DeleteAsync(key, new StorageConditions(etag), Ct);

        await storage.DeleteAsync(key, new StorageConditions(etag), Ct);

        Assert.Null(await storage.ReadAsync<TestState>(key, Ct));
    }

    [Fact]
    public async Task Keys_hold_independent_states()
    {
        var storage = await CreateStorageAsync();
        var (a, b) = (NewKey(), NewKey());

        await storage.WriteAsync(a, TestState.Sample() with { Name = "a" }, StorageConditions.CreateNew(), Ct);
        await storage.WriteAsync(b, TestState.Sample() with { Name = "b" }, StorageConditions.CreateNew(), Ct);

        Assert.Equal("a", (await storage.ReadAsync<TestState>(a, Ct))!.State.Name);
        Assert.Equal("b", (await storage.ReadAsync<TestState>(b, Ct))!.State.Name);
    }

    [Fact]
    public async Task Changing_the_object_after_a_write_does_not_change_what_is_stored()
    {
        var storage = await CreateStorageAsync();
        var key = NewKey();
        var state = TestState.Sample();
        await storage.WriteAsync(key, state, StorageConditions.CreateNew(), Ct);

        state.Keys.Add("late");

        Assert.DoesNotContain("late", (await storage.ReadAsync<TestState>(key, Ct))!.State.Keys);
    }
}

public enum TestHealth
{
    Healthy,
    Degraded,
}

public sealed record TestState
{
    public string Name { get; init; } = "";

    public int Count { get; init; }

    public TestHealth Health { get; init; }

    public DateTimeOffset Watermark { get; init; }

    public List<string> Keys { get; init; } = [];

    public static TestState Sample() => new()
    {
        Name = "Contoso",
        Count = 1,
        Health = TestHealth.Degraded,
        Watermark = new DateTimeOffset(2026, 11, 22, 9, 30, 15, 123, TimeSpan.Zero),
        Keys = ["alert-1|2026-11-22T09:30:00Z", "alert-2|2026-11-22T09:30:01Z"],
    };
}
