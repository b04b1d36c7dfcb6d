using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Blobs;

/// <summary>
/// Conformance of <see cref="BlobLeaseClient"/> and of lease fencing on writes against real Azurite: the properties
/// single activation rests on.
/// </summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobLeaseClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    private BlobClient _blob = null!;

    private static CancellationToken Ct => CancellationToken.None;

    public async Task InitializeAsync()
    {
        var container = await azurite.CreateContainerAsync();
        _blob = container.GetBlobClient("state/tenant.json");
        await _blob.UploadAsync(BinaryData.FromString("{}"), overwrite: true, Ct);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Acquire_takes_the_proposed_lease_id_and_the_blob_reports_it_leased()
    {
        var lease = _blob.GetBlobLeaseClient("aaaaaaaa-0000-0000-0000-000000000001");

        var acquired = await lease.AcquireAsync(Duration, cancellationToken: Ct);

        Assert.Equal(lease.LeaseId, acquired.Value.LeaseId);
        var details = (await _blob.DownloadContentAsync(Ct)).Value.Details;
        Assert.Equal((LeaseState.Leased, LeaseStatus.Locked, LeaseDurationType.Fixed),
            (details.LeaseState, details.LeaseStatus, details.LeaseDuration));
    }

    [Fact]
    public void A_lease_client_without_an_id_makes_up_a_fresh_one()
    {
        Assert.NotEqual(_blob.GetBlobLeaseClient().LeaseId, _blob.GetBlobLeaseClient().LeaseId);
        Assert.True(Guid.TryParse(_blob.GetBlobLeaseClient().LeaseId, out _));
    }

    [Fact]
    public async Task A_second_acquire_under_another_id_fails_409_LeaseAlreadyPresent()
    {
        await _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct);

        await BlobAssert.FailsWith(409, BlobErrorCode.LeaseAlreadyPresent,
            () => _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct));
    }

    [Fact]
    public async Task Acquiring_again_under_the_same_id_succeeds_so_a_retried_acquire_is_harmless()
    {
        var lease = _blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Duration, cancellationToken: Ct);

        var again = await lease.AcquireAsync(Duration, cancellationToken: Ct);

        Assert.Equal(lease.LeaseId, again.Value.LeaseId);
    }

    [Fact]
    public async Task Acquire_rejects_durations_the_service_does_not_allow()
    {
        var lease = _blob.GetBlobLeaseClient();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.AcquireAsync(TimeSpan.FromSeconds(10), cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => lease.AcquireAsync(TimeSpan.FromSeconds(61), cancellationToken: Ct));
        await lease.AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, cancellationToken: Ct);
        Assert.Equal(LeaseDurationType.Infinite, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseDuration);
    }

    [Fact]
    public async Task Acquire_honours_if_match()
    {
        await BlobAssert.FailsWith(412, BlobErrorCode.ConditionNotMet, () => _blob.GetBlobLeaseClient()
            .AcquireAsync(Duration, new RequestConditions { IfMatch = new ETag("\"0x8D000000000000\"") }, Ct));
    }

    [Fact]
    public async Task A_write_without_the_lease_id_to_a_leased_blob_fails_412_LeaseIdMissing()
    {
        await _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct);

        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMissing,
            () => _blob.UploadAsync(BinaryData.FromString("intruder"), overwrite: true, Ct));
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMissing,
            () => _blob.SetMetadataAsync(new Dictionary<string, string> { ["a"] = "b" }, cancellationToken: Ct));
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMissing,
            () => _blob.DeleteIfExistsAsync(cancellationToken: Ct));
        Assert.Equal("{}", (await _blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public async Task A_write_with_another_lease_id_fails_412_LeaseIdMismatchWithBlobOperation()
    {
        await _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct);

        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMismatchWithBlobOperation,
            () => _blob.UploadAsync(BinaryData.FromString("intruder"), WithLease(Guid.NewGuid().ToString()), Ct));
    }

    [Fact]
    public async Task A_write_with_the_held_lease_id_succeeds()
    {
        var lease = _blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Duration, cancellationToken: Ct);

        await _blob.UploadAsync(BinaryData.FromString("owner"), WithLease(lease.LeaseId), Ct);
        await _blob.SetMetadataAsync(new Dictionary<string, string> { ["a"] = "b" }, new BlobRequestConditions { LeaseId = lease.LeaseId }, Ct);

        Assert.Equal("owner", (await _blob.DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.Equal(LeaseState.Leased, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
    }

    [Fact]
    public async Task A_write_with_a_lease_id_to_an_unleased_blob_fails_412_LeaseNotPresentWithBlobOperation()
    {
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseNotPresentWithBlobOperation,
            () => _blob.UploadAsync(BinaryData.FromString("x"), WithLease(Guid.NewGuid().ToString()), Ct));
    }

    [Fact]
    public async Task Renew_keeps_the_lease_and_only_its_holder_can_renew()
    {
        var lease = _blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Duration, cancellationToken: Ct);

        var renewed = await lease.RenewAsync(cancellationToken: Ct);

        Assert.Equal(lease.LeaseId, renewed.Value.LeaseId);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _blob.GetBlobLeaseClient().RenewAsync(cancellationToken: Ct));
        Assert.Equal((409, BlobErrorCode.LeaseIdMismatchWithLeaseOperation), (e.Status, e.ErrorCode));
    }

    [Fact]
    public async Task Release_frees_the_blob_for_another_owner()
    {
        var first = _blob.GetBlobLeaseClient();
        await first.AcquireAsync(Duration, cancellationToken: Ct);

        await first.ReleaseAsync(cancellationToken: Ct);

        Assert.Equal(LeaseState.Available, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
        var second = _blob.GetBlobLeaseClient();
        await second.AcquireAsync(Duration, cancellationToken: Ct);
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMismatchWithBlobOperation,
            () => _blob.UploadAsync(BinaryData.FromString("old owner"), WithLease(first.LeaseId), Ct));
    }

    [Fact]
    public async Task Break_with_zero_period_ends_the_lease_at_once_and_fences_its_holder()
    {
        var holder = _blob.GetBlobLeaseClient();
        await holder.AcquireAsync(Duration, cancellationToken: Ct);

        var broken = await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);

        Assert.Equal(0, broken.Value.LeaseTime);
        Assert.Equal(LeaseState.Broken, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseNotPresentWithBlobOperation,
            () => _blob.UploadAsync(BinaryData.FromString("old owner"), WithLease(holder.LeaseId), Ct));
        await _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct);
    }

    [Fact]
    public async Task Break_with_a_period_leaves_the_lease_breaking()
    {
        await _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct);

        var breaking = await _blob.GetBlobLeaseClient().BreakAsync(TimeSpan.FromSeconds(30), cancellationToken: Ct);

        Assert.InRange(breaking.Value.LeaseTime ?? -1, 1, 30);
        Assert.Equal(LeaseState.Breaking, (await _blob.DownloadContentAsync(Ct)).Value.Details.LeaseState);
        // Azure answers LeaseIsBreakingAndCannotBeAcquired; Azurite 3.37 LeaseAlreadyPresent. Both refuse with 409.
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => _blob.GetBlobLeaseClient().AcquireAsync(Duration, cancellationToken: Ct));
        Assert.Equal(409, e.Status);
        Assert.Contains(e.ErrorCode, new[] { BlobErrorCode.LeaseIsBreakingAndCannotBeAcquired, BlobErrorCode.LeaseAlreadyPresent });
    }

    [Fact]
    public async Task Change_moves_the_lease_to_the_new_id_and_fences_the_old_one()
    {
        var lease = _blob.GetBlobLeaseClient();
        await lease.AcquireAsync(Duration, cancellationToken: Ct);
        var oldId = lease.LeaseId;
        var newId = Guid.NewGuid().ToString();

        var changed = await lease.ChangeAsync(newId, cancellationToken: Ct);

        Assert.Equal(newId, changed.Value.LeaseId);
        Assert.Equal(newId, lease.LeaseId);
        await _blob.UploadAsync(BinaryData.FromString("new id"), WithLease(newId), Ct);
        await BlobAssert.FailsWith(412, BlobErrorCode.LeaseIdMismatchWithBlobOperation,
            () => _blob.UploadAsync(BinaryData.FromString("old id"), WithLease(oldId), Ct));
    }

    [Fact]
    public async Task Listing_shows_each_blobs_lease_state()
    {
        var container = await azurite.CreateContainerAsync();
        foreach (var name in new[] { "free", "leased" })
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString("{}"), overwrite: true, Ct);
        }

        await container.GetBlobClient("leased").GetBlobLeaseClient().AcquireAsync(BlobLeaseClient.InfiniteLeaseDuration, cancellationToken: Ct);

        var items = await BlobContainerClientTests.ListAsync(container.GetBlobsAsync(cancellationToken: Ct));
        Assert.Equal(
            [("free", LeaseState.Available, LeaseStatus.Unlocked, (LeaseDurationType?)null),
             ("leased", LeaseState.Leased, LeaseStatus.Locked, LeaseDurationType.Infinite)],
            items.Select(i => (i.Name, i.Properties.LeaseState!.Value, i.Properties.LeaseStatus!.Value, i.Properties.LeaseDuration)));
    }

    [Fact]
    public async Task Lease_operations_refuse_a_lease_id_in_the_conditions()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _blob.GetBlobLeaseClient()
            .RenewAsync(new BlobRequestConditions { LeaseId = "x" }, Ct));
    }

    private static BlobUploadOptions WithLease(string leaseId) =>
        new() { Conditions = new BlobRequestConditions { LeaseId = leaseId } };
}
