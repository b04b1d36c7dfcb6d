using Defender.Mssp.TestKit;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>One API for every case of a table-driven test class (a class fixture), on the collection's Azurite.</summary>
public sealed class SharedApi(AzuriteFixture azurite) : IAsyncLifetime
{
    public ApiFactory Api { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Api = new ApiFactory(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();
}
