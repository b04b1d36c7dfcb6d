using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>One Azurite and one simulator (HTTPS on loopback) shared by the integration tests, which run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<SimulatorFixture>
{
    public const string Name = "Integration";
}
