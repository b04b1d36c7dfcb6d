using System.Globalization;
using Azure;
using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Acquires and manages a lease on one blob, as Azure.Storage.Blobs' <c>BlobLeaseClient</c>. The lease id is chosen
/// here (not by the service) and proposed on acquire, so a retried acquire that already succeeded on the service
/// simply succeeds again instead of failing with "lease already present".
/// </summary>
public class BlobLeaseClient
{
    /// <summary>A lease that never expires; it ends only by release or break.</summary>
    public static readonly TimeSpan InfiniteLeaseDuration = TimeSpan.FromSeconds(-1);

    public static readonly TimeSpan MinimumLeaseDuration = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan MaximumLeaseDuration = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MaximumBreakPeriod = TimeSpan.FromSeconds(60);

    private readonly BlobClient _blob;

    public BlobLeaseClient(BlobClient client, string? leaseId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _blob = client;
        LeaseId = string.IsNullOrEmpty(leaseId) ? Guid.NewGuid().ToString() : leaseId;
    }

    /// <summary>The lease id this client acquires, renews and releases; changes after <see cref="ChangeAsync"/>.</summary>
    public string LeaseId { get; private set; }

    public Uri Uri => _blob.Uri;

    /// <summary>Acquires the lease for 15–60 s or <see cref="InfiniteLeaseDuration"/>.</summary>
    /// <exception cref="RequestFailedException">409 <c>LeaseAlreadyPresent</c> when another lease is active.</exception>
    public virtual async Task<Response<BlobLease>> AcquireAsync(
        TimeSpan duration, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        if (duration != InfiniteLeaseDuration && (duration < MinimumLeaseDuration || duration > MaximumLeaseDuration))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A lease lasts 15 to 60 seconds, or is infinite.");
        }

        using var message = CreateMessage("acquire", conditions);
        message.Request.Headers.SetValue(BlobHeaderNames.LeaseDuration, Seconds(duration));
        message.Request.Headers.SetValue(BlobHeaderNames.ProposedLeaseId, LeaseId);
        return await SendAsync(message, 201, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renews the lease before it expires (or after, as long as nobody else leased the blob since).</summary>
    public virtual async Task<Response<BlobLease>> RenewAsync(RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage("renew", conditions);
        message.Request.Headers.SetValue(BlobHeaderNames.LeaseId, LeaseId);
        return await SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the active lease's id to <paramref name="proposedId"/>; this client then holds the new id.</summary>
    public virtual async Task<Response<BlobLease>> ChangeAsync(
        string proposedId, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(proposedId);
        using var message = CreateMessage("change", conditions);
        message.Request.Headers.SetValue(BlobHeaderNames.LeaseId, LeaseId);
        message.Request.Headers.SetValue(BlobHeaderNames.ProposedLeaseId, proposedId);
        var response = await SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
        LeaseId = response.Value.LeaseId ?? proposedId;
        return response;
    }

    /// <summary>Releases the lease so another client can acquire it at once.</summary>
    public virtual async Task<Response<ReleasedObjectInfo>> ReleaseAsync(RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage("release", conditions);
        message.Request.Headers.SetValue(BlobHeaderNames.LeaseId, LeaseId);
        var response = await _blob.Pipeline.SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(
            new ReleasedObjectInfo { ETag = BlobHeaders.ETag(response), LastModified = BlobHeaders.LastModified(response) },
            response);
    }

    /// <summary>
    /// Breaks whatever lease is active (any lease id). With <paramref name="breakPeriod"/> null a fixed lease breaks
    /// when it would have expired and an infinite one at once; zero breaks at once.
    /// </summary>
    public virtual async Task<Response<BlobLease>> BreakAsync(
        TimeSpan? breakPeriod = null, RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        if (breakPeriod is { } period && (period < TimeSpan.Zero || period > MaximumBreakPeriod))
        {
            throw new ArgumentOutOfRangeException(nameof(breakPeriod), period, "A break period lasts 0 to 60 seconds.");
        }

        using var message = CreateMessage("break", conditions);
        if (breakPeriod is { } seconds)
        {
            message.Request.Headers.SetValue(BlobHeaderNames.LeaseBreakPeriod, Seconds(seconds));
        }

        return await SendAsync(message, 202, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateMessage(string action, RequestConditions? conditions)
    {
        if (conditions is BlobRequestConditions { LeaseId: not null })
        {
            throw new ArgumentException("Lease operations take the lease id from the lease client, not from the conditions.", nameof(conditions));
        }

        var message = _blob.Pipeline.CreateMessage(RequestMethod.Put, _blob.Uri);
        message.Request.Uri.AppendQuery("comp", "lease");
        message.Request.Headers.SetValue(BlobHeaderNames.LeaseAction, action);
        BlobHeaders.AddConditions(message.Request, conditions);
        return message;
    }

    private async Task<Response<BlobLease>> SendAsync(HttpMessage message, int expectedStatus, CancellationToken cancellationToken)
    {
        var response = await _blob.Pipeline.SendAsync(message, expectedStatus, cancellationToken).ConfigureAwait(false);
        var lease = new BlobLease
        {
            ETag = BlobHeaders.ETag(response),
            LastModified = BlobHeaders.LastModified(response),
            LeaseId = response.Headers.TryGetValue(BlobHeaderNames.LeaseId, out var id) ? id : null,
            LeaseTime = response.Headers.TryGetValue(BlobHeaderNames.LeaseTime, out var time)
                && int.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : null,
        };
        return Response.FromValue(lease, response);
    }

    private static string Seconds(TimeSpan value) =>
        ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture);
}
