using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests;

[CollectionDefinition(AzuriteFixture.CollectionName)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>;
