using Defender.Mssp.Runtime.Development;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Azurite's blob service, run by the AppHost with its data in a folder that survives restarts; installed from the
/// repository's lock file (tools/azurite) on first use.
/// </summary>
public sealed class AzuriteResource(string name, string dataFolder, string launcherFolder) : IResourceWithConnectionString
{
    private AzuriteServer? _server;

    public string Name => name;

    public IReadOnlyList<IResource> Dependencies => [];

    public string DataFolder => dataFolder;

    public string ConnectionString => _server?.ConnectionString
        ?? throw new InvalidOperationException($"'{name}' has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var server = new AzuriteServer(new AzuriteServerOptions
        {
            Location = dataFolder,
            SearchFrom = ProjectPaths.RepositoryRoot,
            // In a session of its own, so Ctrl+C at the terminal reaches only the AppHost, which stops Azurite last,
            // after the silos have saved their state and handed their tenants over.
            NodeExecutable = ProcessLauncher.NodeInOwnSession(launcherFolder),
        });
        _server = server;
        ConsoleLog.Info($"{name}: starting Azurite (installing it from tools/azurite/package-lock.json if needed)");
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        ConsoleLog.Info($"{name}: Azurite listening at {server.BlobEndpoint}, data in {dataFolder}");
    }

    public async Task StopAsync(CancellationToken forceStop)
    {
        if (_server is not { } server)
        {
            return;
        }

        try
        {
            await server.StopAsync(forceStop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await server.KillAsync(CancellationToken.None).ConfigureAwait(false);
        }

        ConsoleLog.Info($"{name}: Azurite stopped");
    }
}
