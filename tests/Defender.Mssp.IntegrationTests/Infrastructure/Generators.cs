using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>Simulator generator settings the integration tests share.</summary>
public static class Generators
{
    /// <summary>A few records a minute and a short history: enough for every poll to find something now and then.</summary>
    public static GeneratorSpec Quiet { get; } = new()
    {
        History = TimeSpan.FromMinutes(2),
        IncidentsPerMinute = 3,
        SiemAlertsPerMinute = 3,
        VisibilityDelay = TimeSpan.FromSeconds(1),
    };
}
