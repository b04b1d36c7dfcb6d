using System.Collections.Concurrent;
using Defender.Simulator.Diagnostics;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Tenants;

/// <summary>All simulated tenants, plus what cannot be attributed to one (unknown tenants, isolation violations).</summary>
internal sealed class TenantRegistry
{
    private const int ViolationLogCapacity = 1000;

    private readonly ConcurrentDictionary<Guid, SimulatedTenant> _tenants = new();
    private readonly ConcurrentQueue<IsolationViolation> _violations = new();
    private readonly TimeProvider _time;
    private readonly int _callLogCapacity;
    private readonly ILogger<TenantRegistry> _logger;
    private long _unknownTenantTokenRequests;
    private long _unattributedApiCalls;
    private long _violationCount;

    public TenantRegistry(IOptions<SimulatorOptions> options, TimeProvider time, ILogger<TenantRegistry> logger)
    {
        _time = time;
        _logger = logger;
        _callLogCapacity = options.Value.CallLogCapacity;
        foreach (var definition in options.Value.Tenants)
        {
            var error = TenantDefinitionValidator.Validate(definition);
            if (error is not null)
            {
                throw new OptionsValidationException(SimulatorOptions.SectionName, typeof(SimulatorOptions), [$"Tenant {definition.TenantId}: {error}"]);
            }

            Put(definition);
        }
    }

    public IEnumerable<SimulatedTenant> All => _tenants.Values.OrderBy(t => t.TenantId);

    public int Count => _tenants.Count;

    /// <summary>Adds or replaces a tenant; a replaced tenant starts over with a new world, stats and call log.</summary>
    public SimulatedTenant Put(TenantDefinition definition)
    {
        var tenant = new SimulatedTenant(definition, _time.GetUtcNow(), _callLogCapacity);
        _tenants[tenant.TenantId] = tenant;
        SimulatorLog.TenantPut(_logger, tenant.TenantId, definition.Apps.Count);
        return tenant;
    }

    public bool TryGet(Guid tenantId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulatedTenant? tenant) =>
        _tenants.TryGetValue(tenantId, out tenant);

    public bool TryGet(string? tenantId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulatedTenant? tenant)
    {
        tenant = null;
        return Guid.TryParse(tenantId, out var id) && _tenants.TryGetValue(id, out tenant);
    }

    public bool Remove(Guid tenantId)
    {
        var removed = _tenants.TryRemove(tenantId, out _);
        if (removed)
        {
            SimulatorLog.TenantRemoved(_logger, tenantId);
        }

        return removed;
    }

    public void UnknownTenantTokenRequest() => Interlocked.Increment(ref _unknownTenantTokenRequests);

    public void UnattributedApiCall() => Interlocked.Increment(ref _unattributedApiCalls);

    public void RecordViolation(IsolationViolation violation)
    {
        Interlocked.Increment(ref _violationCount);
        _violations.Enqueue(violation);
        while (_violations.Count > ViolationLogCapacity && _violations.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<IsolationViolation> Violations => [.. _violations];

    public GlobalStatsView GlobalStats() => new(
        _tenants.Count,
        Interlocked.Read(ref _unknownTenantTokenRequests),
        Interlocked.Read(ref _unattributedApiCalls),
        Interlocked.Read(ref _violationCount));
}

/// <summary>Counters that belong to no single tenant.</summary>
/// <param name="UnattributedApiCalls">API calls rejected before a tenant could be told (no or invalid token).</param>
public sealed record GlobalStatsView(int Tenants, long UnknownTenantTokenRequests, long UnattributedApiCalls, long IsolationViolations);
