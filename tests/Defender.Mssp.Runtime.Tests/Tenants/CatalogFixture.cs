using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Runtime.Tests.DataProtection;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Runtime.Tests.Tenants;

/// <summary>A container with the tenant store and key ring an API would write, and a silo process's catalogue on it.</summary>
internal sealed class CatalogSetup : IDisposable
{
    private readonly ServiceProvider _api;
    private readonly ServiceProvider _silo;

    public CatalogSetup(BlobContainerClient container, string connectionString, params IPollRequestHandler[] handlers)
    {
        Container = container;
        _api = KeyRings.Process(container, connectionString);
        _silo = KeyRings.Process(container, connectionString);
        Store = new TenantDocumentStore(container);
        ApiProtector = KeyRings.Protector(_api);
        Catalog = new BlobTenantCatalog(new TenantDocumentStore(container), KeyRings.Protector(_silo), handlers);
    }

    public BlobContainerClient Container { get; }

    public TenantDocumentStore Store { get; }

    public TenantSecretProtector ApiProtector { get; }

    public BlobTenantCatalog Catalog { get; }

    public SealedCredential Seal(string tenantId, string secret) =>
        new() { Sealed = ApiProtector.Seal(tenantId, new Secret(secret)), UpdatedAt = DateTimeOffset.UnixEpoch };

    public Task<StoredTenant> CreateAsync(string secret = "the-secret", Func<TenantDocument, TenantDocument>? change = null)
    {
        var tenantId = Documents.NewTenantId();
        var document = Documents.New(tenantId, Seal(tenantId, secret));
        return Store.CreateAsync(change?.Invoke(document) ?? document, CancellationToken.None);
    }

    public void Dispose()
    {
        _api.Dispose();
        _silo.Dispose();
    }
}

/// <summary>Records the poll requests the catalogue reports.</summary>
internal sealed class RecordingPollHandler : IPollRequestHandler
{
    public List<(string TenantId, long Sequence)> Requests { get; } = [];

    public void OnPollRequested(string tenantId, PollRequest request) => Requests.Add((tenantId, request.Sequence));
}

internal sealed class ThrowingPollHandler : IPollRequestHandler
{
    public void OnPollRequested(string tenantId, PollRequest request) => throw new InvalidOperationException("handler bug");
}
