using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Whoever_sees_the_lost_token_fire_already_sees_the_loss_and_its_reason(bool atTheDeadline)
    {
        // An activation aborts on the token; its supervisor then asks whether the lease was lost or the activation
        // ended by itself. Both must read the same answer from the moment the token fires.
        var lease = await AcquireAsync();
        (bool Held, bool WhenLost, string? Reason)? seen = null;
        lease!.Lost.Register(() => seen = (lease.IsHeld, lease.WhenLost.IsCompleted, lease.LossReason));

        if (atTheDeadline)
        {
            _time.Advance(_options.LeaseValidity);
        }
        else
        {
            lease.MarkLost("storage rejected a write");
        }

        Assert.Equal((false, true), (seen!.Value.Held, seen.Value.WhenLost));
        Assert.Contains(atTheDeadline ? "safety deadline" : "storage rejected a write", seen.Value.Reason);
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_acquire_that_fails_after_storage_granted_it_gives_the_lease_back(bool cancelled)
    {
        // Storage grants the lease, then the caller's token fires (a shutdown) or the connection fails before the
        // answer arrives: without a release nobody would own the tenant until the lease expired.
        await _storage.WriteAsync(TenantId, new ProbeState { SavedBy = "before", Saves = 1 }, StorageConditions.CreateNew(), Ct);
        var failing = new BlobContainerClient(azurite.ConnectionString, _container.Name, WithPolicy(new FailAfterAcquire(cancelled)));
        var blob = failing.GetBlobClient(_blob.Name);

        var failure = await Record.ExceptionAsync(() => TenantLease.TryAcquireAsync(blob, TenantId, _options, _time, Ct));

        Assert.IsAssignableFrom(cancelled ? typeof(OperationCanceledException) : typeof(RequestFailedException), failure);
        Assert.Equal(LeaseState.Available, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
        Assert.NotNull(await AcquireAsync());
    }

    [Fact]
    public async Task An_acquire_that_fails_leaves_another_owners_lease_alone()
    {
        var owner = await AcquireAsync();
        var failing = new BlobContainerClient(azurite.ConnectionString, _container.Name, WithPolicy(new FailAfterAcquire(cancelled: true)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TenantLease.TryAcquireAsync(failing.GetBlobClient(_blob.Name), TenantId, _options, _time, Ct));

        Assert.True(await owner!.RenewAsync(Ct));
        Assert.Equal(LeaseState.Leased, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
    }

    private Task<TenantLease?> AcquireAsync() => TenantLease.TryAcquireAsync(_blob, TenantId, _options, _time, Ct);

    private static BlobClientOptions WithPolicy(HttpPipelinePolicy policy)
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        return options;
    }

    /// <summary>Lets every lease acquire reach storage, then fails it as if the answer never came back.</summary>
    private sealed class FailAfterAcquire(bool cancelled) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The blob clients are asynchronous.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Headers.TryGetValue(BlobHeaderNames.LeaseAction, out var action) && action == "acquire")
            {
                throw cancelled
                    ? new OperationCanceledException("the caller gave up after the request left")
                    : new RequestFailedException("the connection dropped after the request left");
            }
        }
    }
}
