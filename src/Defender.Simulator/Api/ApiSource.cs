using Defender.Simulator.Faults;

namespace Defender.Simulator.Api;

/// <summary>A simulated Defender API: its name in stats and logs and the token audiences it accepts.</summary>
internal sealed record ApiSource(string Name, FaultSource FaultSource, IReadOnlyList<string> Audiences)
{
    public const string IncidentsName = "incidents";
    public const string SiemName = "siem";
    public const string AlertsName = "alerts";
    public const string GraphAlertsName = "graph-alerts";
    public const string GraphIncidentsName = "graph-incidents";
}
