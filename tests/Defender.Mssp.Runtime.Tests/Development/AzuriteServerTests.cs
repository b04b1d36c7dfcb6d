using System.Net;
using System.Net.Sockets;
using Azure;
using Defender.Mssp.Runtime.Development;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Development;

public sealed class AzuriteServerTests : IDisposable
{
    private readonly string _location = Path.Combine(Path.GetTempPath(), "azurite-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }

    [Fact]
    public async Task A_stopped_server_refuses_requests_and_restarts_on_the_same_port_with_its_data()
    {
        await using var server = await AzuriteServer.StartNewAsync(new AzuriteServerOptions { Location = _location, SearchFrom = RepositoryPaths.Root });
        var port = server.Port;
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/devstoreaccount1"), server.BlobEndpoint);
        Assert.Contains($"AccountName=devstoreaccount1;AccountKey={DevelopmentStorageAccount.Key};BlobEndpoint={server.BlobEndpoint};", server.ConnectionString);
        var container = NoRetries(server).GetBlobContainerClient("outage");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("state/t1.json").UploadAsync(BinaryData.FromString("{\"n\":1}"), overwrite: true);

        await server.StopAsync();
        Assert.False(server.IsRunning);
        var outage = await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("state/t1.json").DownloadContentAsync());
        Assert.Equal(0, outage.Status);

        await server.StartAsync();

        Assert.True(server.IsRunning);
        Assert.Equal(port, server.Port);
        Assert.Equal("{\"n\":1}", (await container.GetBlobClient("state/t1.json").DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Without_a_solution_above_the_search_folder_it_says_where_it_looked()
    {
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = Path.GetTempPath() }));

        Assert.Contains("Defender.Mssp.sln", e.Message);
        Assert.Contains(nameof(AzuriteServerOptions.ToolDirectory), e.Message);
    }

    [Fact]
    public async Task An_explicit_tool_directory_without_package_json_is_refused()
    {
        Directory.CreateDirectory(_location);

        await Assert.ThrowsAsync<DirectoryNotFoundException>(
            () => AzuriteServer.StartNewAsync(new AzuriteServerOptions { ToolDirectory = _location }));
    }

    [Fact]
    public async Task A_start_that_fails_reports_azurites_own_output()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root, Port = port }));

        Assert.Contains("EADDRINUSE", e.Message);
    }

    [Fact]
    public async Task A_killed_server_is_down_until_started_again()
    {
        await using var server = await AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root });
        var blob = NoRetries(server).GetBlobContainerClient("killed").GetBlobClient("b");

        await server.KillAsync();

        Assert.False(server.IsRunning);
        Assert.Equal(0, (await Assert.ThrowsAsync<RequestFailedException>(() => blob.ExistsAsync())).Status);
        await server.StartAsync();
        Assert.False((await blob.ExistsAsync()).Value);
    }

    private static BlobServiceClient NoRetries(AzuriteServer server)
    {
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 0;
        return new BlobServiceClient(server.ConnectionString, options);
    }

    [Fact]
    public void Its_address_is_unknown_before_it_first_starts()
    {
        Assert.Throws<InvalidOperationException>(() => new AzuriteServer().ConnectionString);
    }
}
