using Defender.Mssp.Runtime.Development;

namespace Defender.AppHost.Hosting;

/// <summary>Azurite's blob service, run by the AppHost with its data in a folder that survives restarts.</summary>
public sealed class AzuriteResource(string name, string dataFolder) : IResource
{
    private AzuriteServer? _server;

    public string Name => name;

    /// <summary>The connection string, known once started.</summary>
    public string ConnectionString => _server?.ConnectionString
        ?? throw new InvalidOperationException($"'{name}' has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new AzuriteServer(new AzuriteServerOptions
        {
            Location = dataFolder,
            SearchFrom = ProjectPaths.RepositoryRoot,
        });
        await _server.StartAsync(cancellationToken).ConfigureAwait(false);
        ConsoleLog.Info($"{name} (Azurite) listening at {_server.BlobEndpoint}");
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
