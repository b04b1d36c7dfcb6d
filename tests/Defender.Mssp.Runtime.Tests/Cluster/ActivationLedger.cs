namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// Every fake activation of every member of a test cluster, and any moment two of them ran for the same tenant at
/// once — the single-owner property, seen from the grains' side.
/// </summary>
internal sealed class ActivationLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeActivation> _running = new(StringComparer.Ordinal);
    private readonly List<FakeActivation> _all = [];
    private readonly List<string> _overlaps = [];

    public IReadOnlyList<string> Overlaps
    {
        get
        {
            lock (_gate)
            {
                return _overlaps.ToList();
            }
        }
    }

    public IReadOnlyList<FakeActivation> All
    {
        get
        {
            lock (_gate)
            {
                return _all.ToList();
            }
        }
    }

    public IReadOnlyList<FakeActivation> Of(string siloId) => All.Where(a => a.SiloId == siloId).ToList();

    public FakeActivation? Running(string tenantId)
    {
        lock (_gate)
        {
            return _running.GetValueOrDefault(tenantId);
        }
    }

    public void Started(FakeActivation activation)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(activation.TenantId, out var other))
            {
                _overlaps.Add($"{activation.TenantId}: {activation.SiloId} activated while {other.SiloId}'s activation ran");
            }

            _running[activation.TenantId] = activation;
            _all.Add(activation);
        }
    }

    public void Ended(FakeActivation activation)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(activation.TenantId, out var current) && ReferenceEquals(current, activation))
            {
                _running.Remove(activation.TenantId);
            }
        }
    }
}
