using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// The cluster tests get an Azurite of their own, so they run beside the other storage tests rather than after them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Cluster on Azurite";
}
