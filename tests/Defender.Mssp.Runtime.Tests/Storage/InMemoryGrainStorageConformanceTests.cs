using Defender.Mssp.Storage;

namespace Defender.Mssp.Runtime.Tests.Storage;

public sealed class InMemoryGrainStorageConformanceTests : GrainStorageConformanceTests
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new InMemoryGrainStorage());
}
