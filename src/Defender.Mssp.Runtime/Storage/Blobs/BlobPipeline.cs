using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// The HTTP pipeline every client of one account shares: Azure.Core's retries, diagnostics and transport, plus the
/// authentication policy. Turns unexpected statuses into <see cref="RequestFailedException"/> with the service's
/// error code.
/// </summary>
internal sealed class BlobPipeline
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private readonly HttpPipeline _pipeline;

    private BlobPipeline(BlobClientOptions options, HttpPipelinePolicy authentication)
    {
        var pipelineOptions = new HttpPipelineOptions(options) { RequestFailedDetailsParser = BlobErrorDetailsParser.Instance };
        // Per retry, so every try is freshly dated and signed (Shared Key) or carries a fresh token.
        pipelineOptions.PerRetryPolicies.Add(authentication);
        _pipeline = HttpPipelineBuilder.Build(pipelineOptions);
    }

    public static BlobPipeline ForSharedKey(StorageSharedKeyCredential credential, BlobClientOptions? options)
    {
        options ??= new BlobClientOptions();
        return new BlobPipeline(options, new StorageSharedKeyPipelinePolicy(credential, options.TimeProvider));
    }

    public static BlobPipeline ForToken(TokenCredential credential, BlobClientOptions? options) =>
        new(options ?? new BlobClientOptions(), new BearerTokenAuthenticationPolicy(credential, StorageScope));

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue(BlobHeaderNames.Version, BlobClientOptions.ServiceVersion);
        return message;
    }

    /// <summary>Sends the message; returns the response whatever its status.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    /// <summary>Sends the message and throws unless the response has <paramref name="expectedStatus"/>.</summary>
    public async Task<Response> SendAsync(HttpMessage message, int expectedStatus, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status == expectedStatus ? response : throw Failure(response);
    }

    /// <summary>The service's error code of a failed response, if it sent one.</summary>
    public static string? ErrorCode(Response response) =>
        BlobErrorDetailsParser.Instance.TryParse(response, out var error, out _) ? error?.Code : null;

    public static RequestFailedException Failure(Response response) =>
        new(response, innerException: null, BlobErrorDetailsParser.Instance);
}
