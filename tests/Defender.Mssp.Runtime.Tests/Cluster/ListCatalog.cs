using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>A catalogue a test edits; every read returns fresh list instances, as a configuration-backed one would.</summary>
internal sealed class ListCatalog : ITenantCatalog
{
    private readonly Lock _gate = new();
    private List<TenantSettings> _tenants = [];

    public ListCatalog(int count) => Set(Enumerable.Range(0, count).Select(Tenant));

    public static TenantSettings Tenant(int index) => new()
    {
        TenantId = $"tenant-{index:D4}",
        ClientId = "client",
        Sources = ["incidents"],
    };

    public IReadOnlyList<string> Ids
    {
        get
        {
            lock (_gate)
            {
                return _tenants.Select(t => t.TenantId).ToList();
            }
        }
    }

    public void Set(IEnumerable<TenantSettings> tenants)
    {
        lock (_gate)
        {
            _tenants = tenants.ToList();
        }
    }

    public void Update(Func<TenantSettings, TenantSettings> change)
    {
        lock (_gate)
        {
            _tenants = _tenants.Select(change).ToList();
        }
    }

    public ValueTask<IReadOnlyList<TenantSettings>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<TenantSettings>>(
                _tenants.Select(t => t with { Sources = t.Sources.ToList() }).ToList());
        }
    }
}
