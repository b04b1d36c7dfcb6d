using System.Net;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Tests.Blobs;

/// <summary>Pipeline behaviour that needs no server: token authentication, error parsing, retries, secrecy.</summary>
public sealed class BlobPipelineTests
{
    private const string ErrorXml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ConditionNotMet</Code><Message>The condition specified using HTTP conditional header(s) is not met.</Message></Error>";

    [Fact]
    public async Task Token_authentication_asks_for_the_storage_scope_and_sends_a_bearer_token()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.Created, headers: ("ETag", "\"0x1\"")));
        var credential = new RecordingCredential("token-123");
        var container = new BlobServiceClient(new Uri("https://contoso.blob.core.windows.net"), credential, Options(handler))
            .GetBlobContainerClient("defender-mssp");

        await container.CreateIfNotExistsAsync();

        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-123", request.Headers.Authorization?.ToString());
        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/defender-mssp?restype=container"), request.RequestUri);
        Assert.Equal("2025-01-05", request.Headers.GetValues("x-ms-version").Single());
        Assert.Equal("contoso", container.AccountName);
    }

    [Fact]
    public void A_container_uri_with_a_token_credential_names_account_and_container()
    {
        var container = new BlobContainerClient(
            new Uri("https://contoso.blob.core.windows.net/defender-mssp"), new RecordingCredential("t"));

        Assert.Equal(("contoso", "defender-mssp"), (container.AccountName, container.Name));
        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/defender-mssp/state/t1.json"), container.GetBlobClient("state/t1.json").Uri);
    }

    [Fact]
    public async Task The_error_code_comes_from_the_xml_body_when_the_header_is_absent()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.PreconditionFailed, ErrorXml));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).UploadAsync(BinaryData.FromString("x"), overwrite: true));

        Assert.Equal((412, BlobErrorCode.ConditionNotMet), (e.Status, e.ErrorCode));
        Assert.Contains("conditional header", e.Message);
    }

    [Fact]
    public async Task The_error_code_header_is_read_on_bodyless_responses()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.Conflict, headers: ("x-ms-error-code", "LeaseAlreadyPresent")));

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => Blob(handler).GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal((409, BlobErrorCode.LeaseAlreadyPresent), (e.Status, e.ErrorCode));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_each_try_is_signed()
    {
        var calls = 0;
        var handler = new StubHandler(_ => ++calls < 3
            ? StubHandler.Respond(HttpStatusCode.ServiceUnavailable, headers: ("x-ms-error-code", "ServerBusy"))
            : StubHandler.Respond(HttpStatusCode.Created, headers: ("ETag", "\"0x2\"")));

        var uploaded = await Blob(handler).UploadAsync(BinaryData.FromString("x"), overwrite: true);

        Assert.Equal(new ETag("\"0x2\""), uploaded.Value.ETag);
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.StartsWith("SharedKey devstoreaccount1:", r.Headers.Authorization?.ToString()));
    }

    [Fact]
    public async Task Failures_never_carry_the_authorization_header_or_the_key()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.Forbidden,
            "<Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>"));
        var blob = Blob(handler);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("x"), overwrite: true));

        var signature = handler.Requests[0].Headers.Authorization!.Parameter!;
        Assert.Equal(BlobErrorCode.AuthenticationFailed, e.ErrorCode);
        Assert.DoesNotContain(signature, e.ToString());
        Assert.DoesNotContain(DevelopmentStorageAccount.Key, e.ToString());
    }

    private static BlobClient Blob(StubHandler handler) =>
        new BlobServiceClient(DevelopmentStorageAccount.ConnectionString(new Uri("http://127.0.0.1:10000/devstoreaccount1")), Options(handler))
            .GetBlobContainerClient("c")
            .GetBlobClient("b");

    private static BlobClientOptions Options(StubHandler handler)
    {
        var options = new BlobClientOptions { Transport = new HttpClientTransport(handler) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
        return options;
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
