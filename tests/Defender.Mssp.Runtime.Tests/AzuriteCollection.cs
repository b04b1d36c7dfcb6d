using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests;

[CollectionDefinition(AzuriteFixture.CollectionName)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
