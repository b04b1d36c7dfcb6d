using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// A fixed answer latency from the simulator: an endless <c>Stall</c> fault of <c>latency</c> on the token endpoint
/// and on each API a tenant is polled on. The simulator logs an API call when it is served, i.e. after the stall.
/// </summary>
internal static class SimulatedLatency
{
    public static List<FaultSpec> Faults(TimeSpan latency) => latency <= TimeSpan.Zero
        ? []
        : [.. new[] { SimulatorFaultSource.Token, SimulatorFaultSource.Incidents, SimulatorFaultSource.Siem }
            .Select(source => new FaultSpec { Source = source, Kind = SimulatorFaultKind.Stall, StallSeconds = latency.TotalSeconds })];
}
