using System.Net;
using System.Text.RegularExpressions;
using Defender.Mssp.IntegrationTests.Infrastructure;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Simulation;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests;

/// <summary>
/// A silo takes no commands over the network — they reach it through blob storage, written by the authenticated
/// management API — so the only things it serves are the liveness and health probes, which disclose nothing else.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SiloEndpointsTests(AzuriteFixture azurite, SimulatorFixture simulator, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SiloScope _scope = new("silo-endpoints", output);
    private SiloProcess _silo = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task A_silo_serves_its_probes_and_nothing_else()
    {
        var container = AzuriteFixture.UniqueContainerName("silo-endpoints");
        _silo = _scope.Start("silo-endpoints", new SiloEnvironment(azurite, simulator, container, _scope.SinkFolder).With());
        Uri? address = null;
        await Eventually.HoldsAsync(
            () => Task.FromResult((address = ListeningOn(_silo.Output)) is not null),
            TimeSpan.FromSeconds(60), () => Task.FromResult(_silo.Output));
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), () => Task.FromResult(_silo.Output));
        foreach (var path in new[] { "/", "/tenants", "/cluster", "/metrics", "/openapi/v1.json", "/simulator/tenants", "/grains", "/debug" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
        }

        foreach (var path in new[] { "/tenants", "/poll", "/health" })
        {
            using var response = await http.PostAsync(path, new StringContent("{}"));
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"POST {path}: {(int)response.StatusCode}");
        }
    }

    private static Uri? ListeningOn(string output) =>
        ListeningLine().Match(output) is { Success: true } match ? new Uri(match.Groups["url"].Value) : null;

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
