using Defender.Simulator.Api;

namespace Defender.Simulator.Tenants;

/// <summary>The names of the simulated record APIs, as tenant definitions, stats, call logs and the truth use them.</summary>
internal static class SimulatedApis
{
    public static IReadOnlyList<string> All { get; } =
        [ApiSource.IncidentsName, ApiSource.SiemName, ApiSource.AlertsName, ApiSource.GraphAlertsName, ApiSource.GraphIncidentsName];

    public static bool IsKnown(string? name) => name is not null && All.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);
}
