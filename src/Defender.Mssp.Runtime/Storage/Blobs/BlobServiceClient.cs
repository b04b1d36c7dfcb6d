using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// The entry point to one storage account's Blob service, as Azure.Storage.Blobs' <c>BlobServiceClient</c>: holds the
/// authenticated pipeline that all container and blob clients it hands out share. Thread-safe; keep one per account.
/// </summary>
public class BlobServiceClient
{
    private readonly BlobPipeline _pipeline;

    /// <summary>From a connection string (account key, or <c>UseDevelopmentStorage=true</c>).</summary>
    public BlobServiceClient(string connectionString, BlobClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), options)
    {
    }

    /// <summary>For Shared Key authentication against <paramref name="serviceUri"/>.</summary>
    public BlobServiceClient(Uri serviceUri, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
        : this(serviceUri, credential.AccountName, BlobPipeline.ForSharedKey(credential, options))
    {
    }

    /// <summary>For Entra ID authentication (managed identity, workload identity…); the endpoint must be HTTPS.</summary>
    public BlobServiceClient(Uri serviceUri, TokenCredential credential, BlobClientOptions? options = null)
        : this(serviceUri, BlobUris.AccountName(serviceUri), BlobPipeline.ForToken(credential, options))
    {
    }

    private BlobServiceClient(StorageConnectionString connectionString, BlobClientOptions? options)
        : this(connectionString.BlobEndpoint, connectionString.Credential, options)
    {
    }

    private BlobServiceClient(Uri serviceUri, string accountName, BlobPipeline pipeline)
    {
        Uri = serviceUri;
        AccountName = accountName;
        _pipeline = pipeline;
    }

    public Uri Uri { get; }

    public string AccountName { get; }

    public virtual BlobContainerClient GetBlobContainerClient(string blobContainerName) =>
        new(BlobUris.Append(Uri, blobContainerName), blobContainerName, AccountName, _pipeline);
}
