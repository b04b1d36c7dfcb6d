using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Tests.Blobs;

public sealed class StorageConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    [Fact]
    public void UseDevelopmentStorage_means_the_emulator_account_on_its_default_port()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void An_account_connection_string_targets_the_public_cloud_over_https_by_default()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=contoso;AccountKey={Key}");

        Assert.Equal(new Uri("https://contoso.blob.core.windows.net"), parsed.BlobEndpoint);
        Assert.Equal("contoso", parsed.Credential.AccountName);
    }

    [Fact]
    public void Protocol_and_endpoint_suffix_select_the_cloud()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={Key};EndpointSuffix=core.usgovcloudapi.net");

        Assert.Equal(new Uri("https://contoso.blob.core.usgovcloudapi.net"), parsed.BlobEndpoint);
    }

    [Fact]
    public void An_explicit_blob_endpoint_wins_and_settings_are_case_and_space_tolerant()
    {
        var parsed = StorageConnectionString.Parse(
            $" defaultendpointsprotocol=http ; accountname=devstoreaccount1 ; ACCOUNTKEY={Key} ; BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1/ ;");

        Assert.Equal(new Uri("http://127.0.0.1:41234/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void The_emulator_connection_string_azurite_hands_out_parses_back()
    {
        var endpoint = new Uri("http://127.0.0.1:45678/devstoreaccount1");

        var parsed = StorageConnectionString.Parse(DevelopmentStorageAccount.ConnectionString(endpoint));

        Assert.Equal(endpoint, parsed.BlobEndpoint);
    }

    [Theory]
    [InlineData("AccountName=contoso", "AccountKey")]
    [InlineData("AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=contoso;AccountKey=" + Key + ";BlobEndpoint=not a uri", "BlobEndpoint")]
    [InlineData("AccountName=contoso;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol")]
    [InlineData("AccountName=contoso;AccountName=other;AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=contoso;garbage;AccountKey=" + Key, "Key=Value")]
    public void Malformed_strings_name_the_problem_without_echoing_the_key(string connectionString, string mentioned)
    {
        var e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(mentioned, e.Message);
        Assert.DoesNotContain(Key, e.Message);
    }

    [Fact]
    public void A_key_that_is_not_base64_is_rejected_without_being_echoed()
    {
        var e = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=a;AccountKey=s3cr3t!!"));

        Assert.DoesNotContain("s3cr3t", e.Message);
    }

    [Fact]
    public void Shared_access_signatures_are_refused()
    {
        Assert.Throws<NotSupportedException>(() => StorageConnectionString.Parse("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=x"));
    }
}
