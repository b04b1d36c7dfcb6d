using Defender.Mssp.Runtime.Development;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.TestKit;

/// <summary>
/// One in-memory Azurite blob service for a test collection, and a fresh container for each test. A test assembly
/// uses it through a collection definition of its own (xunit finds those only in the test assembly):
/// <code>
/// [CollectionDefinition(AzuriteFixture.CollectionName)]
/// public sealed class AzuriteCollection : ICollectionFixture&lt;AzuriteFixture&gt;;
/// </code>
/// Nothing is ever skipped: when Azurite cannot start, every test of the collection fails with the reason.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string CollectionName = "Azurite";

    private AzuriteServer? _server;
    private BlobServiceClient? _serviceClient;

    public AzuriteServer Server => _server ?? throw NotStarted();

    /// <summary>The development account's connection string for this emulator.</summary>
    public string ConnectionString => Server.ConnectionString;

    public BlobServiceClient ServiceClient => _serviceClient ?? throw NotStarted();

    /// <summary>A unique, valid container name (not created).</summary>
    public static string UniqueContainerName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A client for a new, not yet created container.</summary>
    public BlobContainerClient NewContainer(string prefix = "test") =>
        ServiceClient.GetBlobContainerClient(UniqueContainerName(prefix));

    /// <summary>A new container, created.</summary>
    public async Task<BlobContainerClient> CreateContainerAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var container = NewContainer(prefix);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return container;
    }

    public async Task InitializeAsync()
    {
        try
        {
            _server = await AzuriteServer.StartNewAsync(new AzuriteServerOptions { SearchFrom = RepositoryPaths.Root });
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "Azurite could not be started, so the storage tests cannot run (they are never skipped). It needs Node.js "
                + "and npm on PATH; tools/azurite is installed with `npm ci` from its lock file on first use. Cause: " + e.Message, e);
        }

        _serviceClient = new BlobServiceClient(_server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static InvalidOperationException NotStarted() => new("The Azurite fixture has not been initialised.");
}
