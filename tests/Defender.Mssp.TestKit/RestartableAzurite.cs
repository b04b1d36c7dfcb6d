using Defender.Mssp.Runtime.Development;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.TestKit;

/// <summary>
/// An Azurite of one test's own that can go away and come back: it persists to a temporary folder and restarts on the
/// same port, so processes holding its connection string (silos) reconnect by themselves and find every blob and ETag
/// as they left them. For storage-outage and chaos tests; the shared <see cref="AzuriteFixture"/> keeps its data in
/// memory and must never be stopped under other tests.
/// </summary>
/// <remarks>
/// Leases do not survive a restart as they would an Azure outage: Azurite 3.37 reloads a lease's expiry time as text,
/// which never compares as later than now, so after a restart every lease is expired (its holder may still renew it
/// while nobody else took it). A restart is a faithful storage outage only when it lasts longer than the leases.
/// </remarks>
/// <example>
/// <code>
/// await using var azurite = await RestartableAzurite.StartAsync();
/// await azurite.StopAsync();   // the outage begins: connections are refused
/// await azurite.StartAsync();  // same port, same data
/// </code>
/// </example>
public sealed class RestartableAzurite : IAsyncDisposable
{
    /// <summary>A restart that loses the race for its port (a rare reuse by another socket) is tried again this often.</summary>
    public const int StartAttempts = 3;

    private readonly AzuriteServer _server;
    private readonly string _folder;

    private RestartableAzurite(string folder)
    {
        _folder = folder;
        _server = new AzuriteServer(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root, Location = folder });
    }

    /// <summary>The development account's connection string; it stays valid across restarts.</summary>
    public string ConnectionString => _server.ConnectionString;

    public int Port => _server.Port;

    public bool IsRunning => _server.IsRunning;

    /// <summary>A client of this emulator; like every client it fails while the emulator is down and works again after.</summary>
    public BlobServiceClient ServiceClient { get; private set; } = null!;

    /// <summary>How many times the emulator was (re)started.</summary>
    public int Starts { get; private set; }

    /// <summary>Starts a new emulator on a free port with an empty folder of its own.</summary>
    /// <exception cref="InvalidOperationException">Azurite could not be started (Node.js or the tool is missing).</exception>
    public static async Task<RestartableAzurite> StartAsync(CancellationToken cancellationToken = default)
    {
        var azurite = new RestartableAzurite(Directory.CreateTempSubdirectory("defender-azurite-").FullName);
        try
        {
            await azurite.RestartAsync(cancellationToken).ConfigureAwait(false);
            azurite.ServiceClient = new BlobServiceClient(azurite.ConnectionString);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the emulator again on its port and folder and waits until it answers; does nothing while it runs.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _server.StartAsync(cancellationToken).ConfigureAwait(false);
                Starts++;
                return;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Most likely the port was briefly taken; the next attempt asks for the same one again.
            }
        }
    }

    /// <summary>Shuts the emulator down cleanly (it saves its metadata first); its port then refuses connections.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _server.StopAsync(cancellationToken);

    /// <summary>Kills the emulator as a crash would: writes of its last few seconds may be lost.</summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => _server.KillAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; the OS cleans it eventually.
        }
    }
}
