namespace Defender.AppHost.Hosting;

/// <summary>
/// Something that already exists elsewhere (a real storage account), known only by its connection string, as Aspire's
/// <c>AddConnectionString</c>: nothing to start or stop.
/// </summary>
public sealed class ConnectionStringResource(string name, string connectionString) : IResourceWithConnectionString
{
    public string Name => name;

    public IReadOnlyList<IResource> Dependencies => [];

    public string ConnectionString => connectionString;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ConsoleLog.Info($"{name}: using the storage account of the connection string given; no local Azurite");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken forceStop) => Task.CompletedTask;
}
