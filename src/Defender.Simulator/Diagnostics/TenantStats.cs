using System.Collections.Concurrent;
using System.Globalization;

namespace Defender.Simulator.Diagnostics;

/// <summary>Lock-free counters of one tenant's token requests, API calls and isolation violations.</summary>
internal sealed class TenantStats
{
    private readonly ConcurrentDictionary<string, Counter> _tokenByClient = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Counter> _tokenErrors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, int Status), Counter> _apiCalls = new();
    private readonly Counter _tokenSucceeded = new();
    private readonly Counter _tokenFailed = new();
    private readonly Counter _isolationViolations = new();
    private readonly Counter _faultsInjected = new();

    public void TokenSucceeded(string clientId)
    {
        _tokenSucceeded.Increment();
        _tokenByClient.GetOrAdd(clientId, static _ => new Counter()).Increment();
    }

    public void TokenFailed(string? clientId, string errorCode)
    {
        _tokenFailed.Increment();
        _tokenByClient.GetOrAdd((clientId ?? "") + "#failed", static _ => new Counter()).Increment();
        _tokenErrors.GetOrAdd(errorCode, static _ => new Counter()).Increment();
    }

    public void ApiCall(string source, int status) => _apiCalls.GetOrAdd((source, status), static _ => new Counter()).Increment();

    public void IsolationViolation() => _isolationViolations.Increment();

    public void FaultInjected() => _faultsInjected.Increment();

    public long IsolationViolations => _isolationViolations.Value;

    public TenantStatsView Snapshot(Guid tenantId)
    {
        var byClient = new SortedDictionary<string, ClientTokenStats>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, counter) in _tokenByClient)
        {
            var failed = key.EndsWith("#failed", StringComparison.Ordinal);
            var clientId = failed ? key[..^"#failed".Length] : key;
            var current = byClient.GetValueOrDefault(clientId) ?? new ClientTokenStats(0, 0);
            byClient[clientId] = failed ? current with { Failed = counter.Value } : current with { Succeeded = counter.Value };
        }

        var apiCalls = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var ((source, status), counter) in _apiCalls)
        {
            if (!apiCalls.TryGetValue(source, out var byStatus))
            {
                apiCalls[source] = byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }

            byStatus[status.ToString(CultureInfo.InvariantCulture)] = counter.Value;
        }

        return new TenantStatsView(
            tenantId,
            new TokenRequestStats(
                _tokenSucceeded.Value,
                _tokenFailed.Value,
                byClient,
                new SortedDictionary<string, long>(_tokenErrors.ToDictionary(e => e.Key, e => e.Value.Value), StringComparer.Ordinal)),
            apiCalls,
            _isolationViolations.Value,
            _faultsInjected.Value);
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}

/// <summary>A tenant's counters as the admin API reports them.</summary>
/// <param name="ApiCalls">Calls by source (<c>incidents</c>, <c>siem</c>) and then by HTTP status.</param>
public sealed record TenantStatsView(
    Guid TenantId,
    TokenRequestStats TokenRequests,
    IReadOnlyDictionary<string, SortedDictionary<string, long>> ApiCalls,
    long IsolationViolations,
    long FaultsInjected);

/// <summary>Token requests of a tenant: totals, per client id, and failures per AADSTS error.</summary>
public sealed record TokenRequestStats(
    long Succeeded,
    long Failed,
    IReadOnlyDictionary<string, ClientTokenStats> ByClient,
    IReadOnlyDictionary<string, long> ByError);

/// <summary>Token requests of one client id in a tenant.</summary>
public sealed record ClientTokenStats(long Succeeded, long Failed);
