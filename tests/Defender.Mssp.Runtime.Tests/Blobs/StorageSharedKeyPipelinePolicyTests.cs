using Azure.Core;
using Azure.Core.Pipeline;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Blobs;

/// <summary>
/// The Shared Key signature against vectors worked out by hand from the documented string-to-sign (Blob service,
/// version 2015-02-21+), signed with the emulator's published key; no network.
/// </summary>
public sealed class StorageSharedKeyPipelinePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static readonly StorageSharedKeyCredential Credential = new(DevelopmentStorageAccount.Name, DevelopmentStorageAccount.Key);

    [Fact]
    public void Put_blob_with_conditions_lease_and_metadata_is_signed_as_documented()
    {
        var message = NewMessage(RequestMethod.Put, "http://127.0.0.1:10000/devstoreaccount1/mycontainer/state/tenant-1.json");
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-version", "2025-01-05");
        headers.SetValue("x-ms-blob-type", "BlockBlob");
        headers.SetValue("x-ms-blob-content-type", "application/json");
        headers.SetValue("x-ms-meta-Owner", "silo-1");
        headers.SetValue("x-ms-lease-id", " 11111111-2222-3333-4444-555555555555 ");
        headers.SetValue("If-Match", "\"0x8DC0FFEE\"");
        headers.SetValue("User-Agent", "not signed");
        message.Request.Content = RequestContent.Create(BinaryData.FromString("{\"a\":1}"));

        Sign(message);

        // Verb, then Content-Encoding, -Language, -Length, -MD5, -Type, Date, If-Modified-Since, If-Match,
        // If-None-Match, If-Unmodified-Since, Range; then x-ms-* lower-cased, sorted, trimmed; then the resource, whose
        // path-style URL repeats the account name.
        const string expected =
            "PUT\n\n\n7\n\n\n\n\n\"0x8DC0FFEE\"\n\n\n\n" +
            "x-ms-blob-content-type:application/json\n" +
            "x-ms-blob-type:BlockBlob\n" +
            "x-ms-date:Sun, 22 Nov 2026 10:00:00 GMT\n" +
            "x-ms-lease-id:11111111-2222-3333-4444-555555555555\n" +
            "x-ms-meta-owner:silo-1\n" +
            "x-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/mycontainer/state/tenant-1.json";
        Assert.Equal(expected, StorageSharedKeyPipelinePolicy.BuildStringToSign(message.Request, Credential.AccountName));
        Assert.Equal("SharedKey devstoreaccount1:pw6Lv4izI2+RDm3rOSZ0zf1ZURtlSe+GE2iSsoVM9LQ=", Authorization(message));
    }

    [Fact]
    public void List_request_query_parameters_are_lower_cased_decoded_and_sorted()
    {
        var message = NewMessage(RequestMethod.Get,
            "http://127.0.0.1:10000/devstoreaccount1/mycontainer?restype=container&comp=list&Prefix=state%2F&maxresults=2&include=metadata");
        message.Request.Headers.SetValue("x-ms-version", "2025-01-05");

        Sign(message);

        const string expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            "x-ms-date:Sun, 22 Nov 2026 10:00:00 GMT\n" +
            "x-ms-version:2025-01-05\n" +
            "/devstoreaccount1/devstoreaccount1/mycontainer\ncomp:list\ninclude:metadata\nmaxresults:2\nprefix:state/\nrestype:container";
        Assert.Equal(expected, StorageSharedKeyPipelinePolicy.BuildStringToSign(message.Request, Credential.AccountName));
        Assert.Equal("SharedKey devstoreaccount1:Cn7zTmcWkJ+wTolskDf78x8LvzOv4rb8MKndRjuHdj8=", Authorization(message));
    }

    [Fact]
    public void Each_try_is_dated_afresh_so_its_signature_changes()
    {
        var clock = new ManualTimeProvider(Now);
        var policy = new StorageSharedKeyPipelinePolicy(Credential, clock);
        var message = NewMessage(RequestMethod.Get, "http://127.0.0.1:10000/devstoreaccount1/c/b");

        policy.OnSendingRequest(message);
        var first = Authorization(message);
        clock.Advance(TimeSpan.FromSeconds(5));
        policy.OnSendingRequest(message);

        Assert.NotEqual(first, Authorization(message));
        Assert.True(message.Request.Headers.TryGetValue("x-ms-date", out var date));
        Assert.Equal("Sun, 22 Nov 2026 10:00:05 GMT", date);
    }

    [Fact]
    public void The_credential_never_shows_its_key()
    {
        Assert.DoesNotContain(DevelopmentStorageAccount.Key, Credential.ToString());
        var e = Assert.Throws<FormatException>(() => new StorageSharedKeyCredential("acct", "not base64 but secret!"));
        Assert.DoesNotContain("secret", e.Message);
    }

    private static HttpMessage NewMessage(RequestMethod method, string uri)
    {
        var message = HttpPipelineBuilder.Build(new BlobClientOptions()).CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(uri));
        return message;
    }

    private static void Sign(HttpMessage message) =>
        new StorageSharedKeyPipelinePolicy(Credential, new ManualTimeProvider(Now)).OnSendingRequest(message);

    private static string? Authorization(HttpMessage message) =>
        message.Request.Headers.TryGetValue("Authorization", out var value) ? value : null;
}
