using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Runtime.Tests.Storage;

/// <summary>The shared grain storage contract, held by <see cref="BlobGrainStorage"/> on real Azurite.</summary>
[Collection(AzuriteFixture.CollectionName)]
public sealed class BlobGrainStorageConformanceTests(AzuriteFixture azurite) : GrainStorageConformanceTests
{
    // A container that does not exist yet: the storage must create it on its first write.
    protected override Task<IGrainStorage> CreateStorageAsync() =>
        Task.FromResult<IGrainStorage>(new BlobGrainStorage(azurite.NewContainer()));
}
