using System.Text.Json;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>A tenant's counters: token requests, API calls by source and status, isolation violations.</summary>
public sealed record SimulatorTenantStats(
    Guid TenantId,
    SimulatorTokenStats TokenRequests,
    Dictionary<string, Dictionary<string, long>> ApiCalls,
    long IsolationViolations,
    long FaultsInjected)
{
    /// <summary>Calls to <paramref name="source"/> (incidents, siem) answered with <paramref name="status"/>.</summary>
    public long Calls(string source, int status) =>
        ApiCalls.TryGetValue(source, out var byStatus) && byStatus.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var count)
            ? count
            : 0;

    /// <summary>All calls to <paramref name="source"/>, whatever their status.</summary>
    public long Calls(string source) => ApiCalls.TryGetValue(source, out var byStatus) ? byStatus.Values.Sum() : 0;
}

/// <summary>Token requests: totals, per client id, and failures per AADSTS code (e.g. "AADSTS7000215").</summary>
public sealed record SimulatorTokenStats(
    long Succeeded,
    long Failed,
    Dictionary<string, SimulatorClientTokenStats> ByClient,
    Dictionary<string, long> ByError);

/// <summary>Token requests of one client id.</summary>
public sealed record SimulatorClientTokenStats(long Succeeded, long Failed);

/// <summary>Counters of no single tenant.</summary>
public sealed record SimulatorGlobalStats(int Tenants, long UnknownTenantTokenRequests, long UnattributedApiCalls, long IsolationViolations);

/// <summary>All counters.</summary>
public sealed record SimulatorStats(SimulatorGlobalStats Global, List<SimulatorTenantStats> Tenants);

/// <summary>One API call as the simulator saw it (Host and X-Mssp-Silo-Id included).</summary>
public sealed record SimulatorCall(
    DateTimeOffset Time, string Method, string Path, string Query, string Source, int Status, string? Host, string? SiloId, string? ClientId);

/// <summary>A tenant's most recent API calls and the count of all of them.</summary>
public sealed record SimulatorCallLog(Guid TenantId, long Total, List<SimulatorCall> Calls);

/// <summary>
/// One generated record version: id (incidentId as text, or SIEM FullId), its last-update time (LastProcessedTimeUtc
/// for SIEM), when it became visible, and the record itself when asked for.
/// </summary>
public sealed record SimulatorTruthEntry(string Id, DateTimeOffset LastUpdateTime, DateTimeOffset VisibleAt, bool Visible, int Version, JsonElement? Record);

/// <summary>A token of one tenant sent with another tenant's X-Mssp-Tenant-Id.</summary>
public sealed record SimulatorIsolationViolation(DateTimeOffset Time, Guid TokenTenantId, string HeaderTenantId, string Path, string? SiloId);
