using Azure;
using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>One blob container, as Azure.Storage.Blobs' <c>BlobContainerClient</c>. Thread-safe.</summary>
public class BlobContainerClient
{
    private readonly BlobPipeline _pipeline;

    public BlobContainerClient(string connectionString, string blobContainerName, BlobClientOptions? options = null)
        : this(new BlobServiceClient(connectionString, options).GetBlobContainerClient(blobContainerName))
    {
    }

    /// <summary>For Entra ID authentication; <paramref name="blobContainerUri"/> names the container (HTTPS).</summary>
    public BlobContainerClient(Uri blobContainerUri, TokenCredential credential, BlobClientOptions? options = null)
        : this(ContainerOf(blobContainerUri, credential, options))
    {
    }

    internal BlobContainerClient(Uri uri, string name, string accountName, BlobPipeline pipeline)
    {
        Uri = uri;
        Name = name;
        AccountName = accountName;
        _pipeline = pipeline;
    }

    private BlobContainerClient(BlobContainerClient other)
        : this(other.Uri, other.Name, other.AccountName, other._pipeline)
    {
    }

    public Uri Uri { get; }

    public string Name { get; }

    public string AccountName { get; }

    public virtual BlobClient GetBlobClient(string blobName) =>
        new(BlobUris.Append(Uri, blobName), Name, blobName, _pipeline);

    /// <summary>Creates the container (private access) unless it exists.</summary>
    /// <returns>The new container's properties, or null when it already existed.</returns>
    public virtual async Task<Response<BlobContainerInfo>?> CreateIfNotExistsAsync(
        PublicAccessType publicAccessType = PublicAccessType.None,
        IDictionary<string, string>? metadata = null,
        CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        message.Request.Uri.AppendQuery("restype", "container");
        BlobHeaders.AddMetadata(message.Request, metadata);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 => Response.FromValue(
                new BlobContainerInfo { ETag = BlobHeaders.ETag(response), LastModified = BlobHeaders.LastModified(response) },
                response),
            409 when BlobPipeline.ErrorCode(response) == BlobErrorCode.ContainerAlreadyExists => null,
            _ => throw BlobPipeline.Failure(response),
        };
    }

    /// <summary>
    /// Lists the blobs whose names start with <paramref name="prefix"/>, in name order, with ETag, size and lease
    /// state (and metadata when asked). Pages follow the service's continuation markers; use
    /// <c>AsPages(pageSizeHint: n)</c> to bound a page.
    /// </summary>
    public virtual AsyncPageable<BlobItem> GetBlobsAsync(
        BlobTraits traits = BlobTraits.None,
        BlobStates states = BlobStates.None,
        string? prefix = null,
        CancellationToken cancellationToken = default) =>
        new BlobItemPageable((marker, pageSize, ct) => ListPageAsync(traits, prefix, marker, pageSize, ct), cancellationToken);

    private async Task<Page<BlobItem>> ListPageAsync(
        BlobTraits traits, string? prefix, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        var uri = message.Request.Uri;
        uri.AppendQuery("restype", "container");
        uri.AppendQuery("comp", "list");
        if (!string.IsNullOrEmpty(prefix))
        {
            uri.AppendQuery("prefix", prefix);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            uri.AppendQuery("marker", marker);
        }

        if (pageSize is { } size)
        {
            uri.AppendQuery("maxresults", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (traits.HasFlag(BlobTraits.Metadata))
        {
            uri.AppendQuery("include", "metadata");
        }

        message.Request.Headers.SetValue(HttpHeader.Names.Accept, "application/xml");
        var response = await _pipeline.SendAsync(message, 200, cancellationToken).ConfigureAwait(false);
        var (items, nextMarker) = BlobListParser.Parse(response.Content);
        return Page<BlobItem>.FromValues(items, nextMarker, response);
    }

    private static BlobContainerClient ContainerOf(Uri containerUri, TokenCredential credential, BlobClientOptions? options)
    {
        var (serviceUri, container) = BlobUris.SplitContainer(containerUri);
        return new BlobServiceClient(serviceUri, credential, options).GetBlobContainerClient(container);
    }
}
