using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>A tenant as both sides know it: registered in the simulator, configured in the silo.</summary>
/// <param name="ConfiguredSecret">The secret the silo is given; differs from the registered one for a "wrong secret" tenant.</param>
public sealed record TestTenant(Guid TenantId, string ClientId, string RegisteredSecret, string ConfiguredSecret)
{
    public static TestTenant Create(string clientId, string secret, string? configuredSecret = null) =>
        new(Guid.NewGuid(), clientId, secret, configuredSecret ?? secret);

    public static string NewSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public Task<TenantSpec> RegisterAsync(SimulatorFixture simulator, GeneratorSpec generator) =>
        simulator.AddTenantAsync(ClientId, RegisteredSecret, generator, TenantId);
}
