using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// This silo's lease on one tenant's state blob, and the <see cref="ITenantOwnership"/> handed to its activation.
/// The lease is judged lost — and <see cref="Lost"/> fires — when a renewal is refused, when storage rejects a write
/// (<see cref="MarkLost"/>), or when no renewal has succeeded for <see cref="ClusterOptions.LeaseValidity"/> on the
/// local monotonic clock, counted from the start of the last successful request: the service's own expiry counts
/// from when it processed that request, which is later, so the local deadline always comes first.
/// </summary>
/// <remarks>
/// Races handled: renewals and the release are serialised by a gate, so a release never overlaps a renewal that
/// could resurrect it; the transitions out of <see cref="LeaseStates.Held"/> are compare-and-swap, so a deadline
/// firing while a release starts either loses (no <see cref="Lost"/> for a graceful release) or wins (no release of a
/// lease that may already be someone else's). A loss is recorded (state, reason, <see cref="WhenLost"/>) before
/// <see cref="Lost"/> fires, so an activation aborting on the token is never taken for one that ended by itself. The
/// token sources are never disposed: activations may still hold the token; the deadline's timer is switched off once
/// the lease is no longer held.
/// </remarks>
internal sealed class TenantLease : ITenantOwnership
{
    private static readonly BinaryData EmptyState = BinaryData.FromString("{}");

    /// <summary>How long giving back a lease that was never claimed may take before its expiry is left to settle it.</summary>
    internal static readonly TimeSpan UnclaimedReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly BlobLeaseClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _validity;
    // The safety deadline's timer, and the token handed out: the deadline first records the loss, then fires Lost, so
    // whoever sees the token cancelled also sees the lease lost, with its reason.
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _lost = new();
    private readonly TaskCompletionSource _whenLost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _state = LeaseStates.Held;
    private string? _lossReason;

    private long _renewedAt;

    private TenantLease(
        string tenantId, BlobClient blob, BlobLeaseClient client, TimeProvider time, TimeSpan validity, long acquiredAt, TimeSpan remaining)
    {
        TenantId = tenantId;
        BlobName = blob.Name;
        _client = client;
        _time = time;
        _validity = validity;
        _renewedAt = acquiredAt;
        _deadline = new CancellationTokenSource(remaining, time);
        _deadline.Token.Register(() => MarkLost("no renewal succeeded before the safety deadline"));
    }

    public string TenantId { get; }

    public string BlobName { get; }

    public string LeaseId => _client.LeaseId;

    public CancellationToken Lost => _lost.Token;

    /// <summary>Completes when the lease is lost (never for a graceful release).</summary>
    public Task WhenLost => _whenLost.Task;

    public bool IsHeld => Volatile.Read(ref _state) == LeaseStates.Held;

    /// <summary>
    /// When (a <see cref="TimeProvider.GetTimestamp"/> of the lease's clock) the last successful acquire or renewal
    /// started: the safety deadline is <see cref="ClusterOptions.LeaseValidity"/> after it.
    /// </summary>
    public long RenewedAt => Interlocked.Read(ref _renewedAt);

    /// <summary>How long until the safety deadline; zero once the lease is no longer held.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var remaining = _validity - _time.GetElapsedTime(RenewedAt);
            return IsHeld && remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }
    }

    /// <summary>Why the lease was lost; null while held or after a graceful release.</summary>
    public string? LossReason => Volatile.Read(ref _lossReason);

    /// <summary>
    /// Acquires the lease, first creating the state blob as an empty state (<c>{}</c>) if the tenant has none — never
    /// overwriting one that exists. Returns null when another owner holds the lease.
    /// </summary>
    public static async Task<TenantLease?> TryAcquireAsync(
        BlobClient stateBlob, string tenantId, ClusterOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = stateBlob.GetBlobLeaseClient();
        var started = time.GetTimestamp();
        try
        {
            try
            {
                await client.AcquireAsync(options.LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                await CreateEmptyStateAsync(stateBlob, cancellationToken).ConfigureAwait(false);
                started = time.GetTimestamp();
                await client.AcquireAsync(options.LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (LeaseRefusals.IsHeldElsewhere(e))
        {
            return null;
        }
        catch (Exception e) when (e is not RequestFailedException refused || !LeaseRefusals.IsRefusal(refused))
        {
            // Cancelled or failed after the request left: storage may have granted the lease all the same, and nobody
            // here would renew or release it, so the tenant would sit unowned until it expired. Give it back under the
            // lease id this client proposed; if storage never granted it, the release is refused and nothing changes.
            await ReleaseUnclaimedAsync(client).ConfigureAwait(false);
            throw;
        }

        var remaining = options.LeaseValidity - time.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            // The acquire took longer than the lease can be trusted for: give it straight back.
            await ReleaseUnclaimedAsync(client).ConfigureAwait(false);
            return null;
        }

        return new TenantLease(tenantId, stateBlob, client, time, options.LeaseValidity, started, remaining);
    }

    /// <summary>
    /// Renews the lease and moves the safety deadline. A refusal marks the lease lost; other failures propagate and
    /// leave the lease held until the deadline decides.
    /// </summary>
    /// <returns>False when the lease is not held (any more).</returns>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken) =>
        await RenewUnlessRecentAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false) != LeaseRenewal.NotHeld;

    /// <summary>
    /// As <see cref="RenewAsync"/>, but sends nothing when the last successful renewal (or the acquire) started less
    /// than <paramref name="recent"/> ago — a renewal scheduled from a stale view, overtaken by another caller.
    /// </summary>
    /// <remarks>Checked under the gate, so two callers racing for the same due renewal send one request.</remarks>
    public async Task<LeaseRenewal> RenewUnlessRecentAsync(TimeSpan recent, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsHeld)
            {
                return LeaseRenewal.NotHeld;
            }

            if (_time.GetElapsedTime(RenewedAt) < recent)
            {
                return LeaseRenewal.NotDue;
            }

            using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lost.Token);
            var started = _time.GetTimestamp();
            try
            {
                await _client.RenewAsync(cancellationToken: renewing.Token).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (LeaseRefusals.IsRefusal(e))
            {
                MarkLost($"renewal refused ({e.Status} {e.ErrorCode})");
                return LeaseRenewal.NotHeld;
            }
            catch (OperationCanceledException) when (_lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return LeaseRenewal.NotHeld;
            }

            var remaining = _validity - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                MarkLost("the renewal took longer than the lease can be trusted for");
                return LeaseRenewal.NotHeld;
            }

            if (IsHeld)
            {
                Interlocked.Exchange(ref _renewedAt, started);
                _deadline.CancelAfter(remaining);
            }

            return IsHeld ? LeaseRenewal.Renewed : LeaseRenewal.NotHeld;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Releases the lease so another silo can take the tenant at once. Call only after the activation has stopped.
    /// </summary>
    /// <returns>False when the lease was not held (lost meanwhile) or storage says it was no longer ours.</returns>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.CompareExchange(ref _state, LeaseStates.Released, LeaseStates.Held) != LeaseStates.Held)
            {
                return false;
            }

            _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            try
            {
                await _client.ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (RequestFailedException e) when (LeaseRefusals.IsRefusal(e))
            {
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Declares the lease lost (the safety deadline passed, storage fenced a write, or the silo is abandoning it):
    /// records why, completes <see cref="WhenLost"/>, then fires <see cref="Lost"/>.
    /// </summary>
    /// <returns>False when it was not held any more.</returns>
    public bool MarkLost(string reason)
    {
        if (Interlocked.CompareExchange(ref _state, LeaseStates.Lost, LeaseStates.Held) != LeaseStates.Held)
        {
            return false;
        }

        Volatile.Write(ref _lossReason, reason);
        _deadline.CancelAfter(Timeout.InfiniteTimeSpan);
        _whenLost.TrySetResult();
        _lost.Cancel();
        return true;
    }

    /// <summary>
    /// Releases a lease this silo may hold without having claimed it, within <see cref="UnclaimedReleaseTimeout"/> and
    /// whatever the caller's cancellation says (a shutdown is exactly when it matters); any failure is left to the
    /// lease's expiry.
    /// </summary>
    private static async Task ReleaseUnclaimedAsync(BlobLeaseClient client)
    {
        using var timeout = new CancellationTokenSource(UnclaimedReleaseTimeout);
        try
        {
            await client.ReleaseAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or IOException or HttpRequestException)
        {
            // Not granted (409 lease not present or id mismatch), or storage unreachable: the expiry settles it.
        }
    }

    private static async Task CreateEmptyStateAsync(BlobClient stateBlob, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await stateBlob.UploadAsync(EmptyState, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Someone created it first (and may hold its lease): theirs stands; the acquire decides who owns it.
        }
    }

    /// <summary>The lease's life: held, then released gracefully or lost; never back.</summary>
    internal static class LeaseStates
    {
        public const int Held = 0;
        public const int Released = 1;
        public const int Lost = 2;
    }
}
