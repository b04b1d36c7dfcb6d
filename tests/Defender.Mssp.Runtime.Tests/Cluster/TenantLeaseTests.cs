using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// Conformance of the ownership abstraction against Azurite: acquiring creates but never overwrites the state,
/// a held lease excludes others, renewal keeps it, a break or an overdue renewal loses it, and storage fences the
/// state writes of a deposed owner.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TenantLeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TenantId = "tenant-a";

    private readonly ManualTimeProvider _time = new();
    private readonly ClusterOptions _options = TestCluster.DrivenOptions("silo");
    private BlobContainerClient _container = null!;
    private BlobClient _blob = null!;
    private BlobGrainStorage _storage = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        _container = await azurite.CreateContainerAsync("lease");
        _blob = _container.GetBlobClient($"state/{TenantId}.json");
        _storage = new BlobGrainStorage(_container);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Acquiring_creates_a_missing_state_blob_as_an_empty_state_and_leases_it()
    {
        var lease = await AcquireAsync();

        Assert.NotNull(lease);
        var download = (await _blob.DownloadContentAsync(Ct)).Value;
        Assert.Equal("{}", download.Content.ToString());
        Assert.Equal(LeaseState.Leased, download.Details.LeaseState);
        var state = await _storage.ReadAsync<ProbeState>(TenantId, Ct);
        Assert.Equal(0, state!.State.Saves);
    }

    [Fact]
    public async Task Acquiring_keeps_an_existing_state()
    {
        await _storage.WriteAsync(TenantId, new ProbeState { SavedBy = "before", Saves = 7 }, StorageConditions.CreateNew(), Ct);

        await AcquireAsync();

        var state = await _storage.ReadAsync<ProbeState>(TenantId, Ct);
        Assert.Equal(("before", 7), (state!.State.SavedBy, state.State.Saves));
    }

    [Fact]
    public async Task A_held_lease_cannot_be_acquired_by_another_owner()
    {
        var first = await AcquireAsync();

        var second = await AcquireAsync();

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_its_release_is_not_a_loss()
    {
        var first = await AcquireAsync();

        Assert.True(await first!.ReleaseAsync(Ct));
        var second = await AcquireAsync();

        Assert.NotNull(second);
        Assert.False(first.Lost.IsCancellationRequested);
        Assert.False(first.WhenLost.IsCompleted);
        _time.Advance(_options.LeaseDuration);
        Assert.False(first.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task Renewal_keeps_the_lease_past_its_first_deadline()
    {
        var lease = await AcquireAsync();
        var nearlyDue = _options.LeaseValidity - TimeSpan.FromSeconds(1);

        _time.Advance(nearlyDue);
        Assert.True(await lease!.RenewAsync(Ct));
        _time.Advance(nearlyDue);

        Assert.True(lease.IsHeld);
        Assert.False(lease.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task A_renewal_asked_for_soon_after_another_one_sends_nothing_and_a_later_one_renews()
    {
        var lease = await AcquireAsync();
        var recent = _options.LeaseRenewalPeriod / 2;
        var acquiredAt = lease!.RenewedAt;

        _time.Advance(recent - TimeSpan.FromSeconds(1));
        var early = await lease.RenewUnlessRecentAsync(recent, Ct);
        var remainingAfterSkip = lease.Remaining;
        _time.Advance(TimeSpan.FromSeconds(1));
        var due = await lease.RenewUnlessRecentAsync(recent, Ct);

        Assert.Equal(LeaseRenewal.NotDue, early);
        Assert.Equal(_options.LeaseValidity - (recent - TimeSpan.FromSeconds(1)), remainingAfterSkip);
        Assert.Equal(LeaseRenewal.Renewed, due);
        Assert.Equal(_time.GetTimestamp(), lease.RenewedAt);
        Assert.NotEqual(acquiredAt, lease.RenewedAt);
        Assert.Equal(_options.LeaseValidity, lease.Remaining);
    }

    [Fact]
    public async Task A_lease_that_is_not_held_reports_no_time_remaining_and_is_not_renewed()
    {
        var lease = await AcquireAsync();
        lease!.MarkLost("test");

        Assert.Equal(TimeSpan.Zero, lease.Remaining);
        Assert.Equal(LeaseRenewal.NotHeld, await lease.RenewUnlessRecentAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task The_lease_is_lost_when_no_renewal_succeeds_before_the_safety_deadline()
    {
        var lease = await AcquireAsync();

        _time.Advance(_options.LeaseValidity);

        Assert.True(lease!.Lost.IsCancellationRequested);
        Assert.True(lease.WhenLost.IsCompleted);
        Assert.False(lease.IsHeld);
        Assert.Contains("deadline", lease.LossReason);
        // A lost lease is never released: it may already be someone else's.
        Assert.False(await lease.ReleaseAsync(Ct));
    }

    [Fact]
    public async Task A_broken_lease_is_lost_at_its_next_renewal()
    {
        var lease = await AcquireAsync();
        await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        var renewed = await lease!.RenewAsync(Ct);

        Assert.False(renewed);
        Assert.True(lease.Lost.IsCancellationRequested);
        Assert.Contains("renewal refused", lease.LossReason);
    }

    [Fact]
    public async Task A_broken_lease_can_be_taken_by_a_new_owner()
    {
        await AcquireAsync();
        await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        var successor = await AcquireAsync();

        Assert.NotNull(successor);
    }

    [Fact]
    public async Task A_deposed_owner_cannot_write_the_state_once_another_owner_holds_the_lease()
    {
        var deposed = await AcquireAsync();
        var deposedState = new PersistentState<ProbeState>(_storage, TenantId, () => deposed!.LeaseId);
        await deposedState.ReadStateAsync(Ct);
        await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);
        var owner = await AcquireAsync();
        var ownerState = new PersistentState<ProbeState>(_storage, TenantId, () => owner!.LeaseId);
        await ownerState.ReadStateAsync(Ct);

        deposedState.State.SavedBy = "deposed";
        await Assert.ThrowsAsync<LeaseLostException>(() => deposedState.WriteStateAsync(Ct));
        ownerState.State.SavedBy = "owner";
        await ownerState.WriteStateAsync(Ct);

        Assert.Equal("owner", (await _storage.ReadAsync<ProbeState>(TenantId, Ct))!.State.SavedBy);
    }

    [Fact]
    public async Task A_deposed_owner_cannot_write_the_state_even_while_nobody_holds_the_lease()
    {
        var deposed = await AcquireAsync();
        var state = new PersistentState<ProbeState>(_storage, TenantId, () => deposed!.LeaseId);
        await state.ReadStateAsync(Ct);
        await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        state.State.SavedBy = "deposed";

        await Assert.ThrowsAsync<LeaseLostException>(() => state.WriteStateAsync(Ct));
    }

    [Fact]
    public async Task The_holder_writes_the_state_with_its_lease_id()
    {
        var lease = await AcquireAsync();
        var state = new PersistentState<ProbeState>(_storage, TenantId, () => lease!.LeaseId);
        await state.ReadStateAsync(Ct);

        state.State.Saves = 1;
        await state.WriteStateAsync(Ct);
        var withoutLease = new PersistentState<ProbeState>(_storage, TenantId);
        await withoutLease.ReadStateAsync(Ct);
        withoutLease.State.Saves = 2;

        await Assert.ThrowsAsync<LeaseLostException>(() => withoutLease.WriteStateAsync(Ct));
        Assert.Equal(1, (await _storage.ReadAsync<ProbeState>(TenantId, Ct))!.State.Saves);
    }

    [Fact]
    public async Task Marking_a_lease_lost_fires_its_token_once_and_prevents_its_release()
    {
        var lease = await AcquireAsync();
        var fired = 0;
        lease!.Lost.Register(() => fired++);

        Assert.True(lease.MarkLost("storage rejected a write"));
        Assert.False(lease.MarkLost("again"));

        Assert.Equal(1, fired);
        Assert.Equal("storage rejected a write", lease.LossReason);
        Assert.False(await lease.ReleaseAsync(Ct));
        Assert.Equal(LeaseState.Leased, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
    }

    private Task<TenantLease?> AcquireAsync() => TenantLease.TryAcquireAsync(_blob, TenantId, _options, _time, Ct);
}
