using Azure;
using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// One block blob, as Azure.Storage.Blobs' <c>BlobClient</c>, for small documents read and written whole. Every write
/// can be made conditional on an ETag and fenced by a lease id (<see cref="BlobRequestConditions"/>). Thread-safe.
/// </summary>
public class BlobClient
{
    private readonly BlobPipeline _pipeline;

    internal BlobClient(Uri uri, string containerName, string name, BlobPipeline pipeline)
    {
        Uri = uri;
        BlobContainerName = containerName;
        Name = name;
        _pipeline = pipeline;
    }

    public Uri Uri { get; }

    public string BlobContainerName { get; }

    public string Name { get; }

    internal BlobPipeline Pipeline => _pipeline;

    /// <summary>Uploads <paramref name="content"/>; without <paramref name="overwrite"/> only if the blob does not exist.</summary>
    public virtual Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, bool overwrite = false, CancellationToken cancellationToken = default) =>
        UploadAsync(content, new BlobUploadOptions { Conditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);

    /// <summary>Uploads <paramref name="content"/> as the blob's whole content (Put Blob).</summary>
    /// <exception cref="RequestFailedException">409 <c>BlobAlreadyExists</c> or 412 <c>ConditionNotMet</c> when a
    /// condition fails; 412 <c>LeaseIdMissing</c> / <c>LeaseIdMismatchWithBlobOperation</c> when the blob is leased
    /// under another lease id.</exception>
    public virtual async Task<Response<BlobContentInfo>> UploadAsync(BinaryData content, BlobUploadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(options);
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        var request = message.Request;
        request.Headers.SetValue(BlobHeaderNames.BlobType, "BlockBlob");
        if (options.HttpHeaders?.ContentType is { } contentType)
        {
            request.Headers.SetValue(BlobHeaderNames.BlobContentType, contentType);
        }

        BlobHeaders.AddMetadata(request, options.Metadata);
        BlobHeaders.AddConditions(request, options.Conditions);
        request.Content = RequestContent.Create(content);
        var response = await _pipeline.SendAsync(message, 201, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(
            new BlobContentInfo { ETag = BlobHeaders.ETag(response), LastModified = BlobHeaders.LastModified(response) },
            response);
    }

    public virtual Task<Response<BlobDownloadResult>> DownloadContentAsync(CancellationToken cancellationToken = default) =>
        DownloadContentAsync(conditions: null, cancellationToken);

    /// <summary>Downloads the blob's content with its ETag, metadata and lease state in one read.</summary>
    /// <exception cref="RequestFailedException">404 <c>BlobNotFound</c>; 412 when a condition fails.</exception>
    public virtual async Task<Response<BlobDownloadResult>> DownloadContentAsync(BlobRequestConditions? conditions, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        BlobHeaders.AddConditions(message.Request, conditions);
        var response = await _pipeline.SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
        var details = new BlobDownloadDetails
        {
            ETag = BlobHeaders.ETag(response),
            LastModified = BlobHeaders.LastModified(response),
            ContentType = response.Headers.ContentType,
            Metadata = BlobHeaders.Metadata(response),
            LeaseState = BlobHeaders.Enum<LeaseState>(response, BlobHeaderNames.LeaseState),
            LeaseStatus = BlobHeaders.Enum<LeaseStatus>(response, BlobHeaderNames.LeaseStatus),
            LeaseDuration = BlobHeaders.Enum<LeaseDurationType>(response, BlobHeaderNames.LeaseDuration),
        };
        return Response.FromValue(new BlobDownloadResult { Content = response.Content, Details = details }, response);
    }

    /// <summary>Whether the blob exists (HEAD; a 404 of any kind means no).</summary>
    public virtual async Task<Response<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Head, Uri);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            200 => Response.FromValue(true, response),
            404 => Response.FromValue(false, response),
            _ => throw BlobPipeline.Failure(response),
        };
    }

    /// <summary>Deletes the blob if it exists and the conditions hold.</summary>
    /// <returns>False when there was no blob (or no container) to delete.</returns>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(
        DeleteSnapshotsOption snapshotsOption = DeleteSnapshotsOption.None,
        BlobRequestConditions? conditions = null,
        CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, Uri);
        BlobHeaders.AddConditions(message.Request, conditions);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            202 => Response.FromValue(true, response),
            404 when BlobPipeline.ErrorCode(response) is BlobErrorCode.BlobNotFound or BlobErrorCode.ContainerNotFound
                => Response.FromValue(false, response),
            _ => throw BlobPipeline.Failure(response),
        };
    }

    /// <summary>Replaces the blob's metadata (all of it) if the conditions hold.</summary>
    public virtual async Task<Response<BlobInfo>> SetMetadataAsync(
        IDictionary<string, string> metadata, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Uri.AppendQuery("comp", "metadata");
        BlobHeaders.AddMetadata(message.Request, metadata);
        BlobHeaders.AddConditions(message.Request, conditions);
        var response = await _pipeline.SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(
            new BlobInfo { ETag = BlobHeaders.ETag(response), LastModified = BlobHeaders.LastModified(response) },
            response);
    }

    /// <summary>A lease client for this blob, with <paramref name="leaseId"/> or a new random lease id.</summary>
    public virtual BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new(this, leaseId);
}
