using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// The management API (src/Defender.Mssp.Api) as a process of its own, on the bench's Azurite container and sink
/// folder, with one Admin API key made up for the run, and an HTTP client that presents it.
/// </summary>
internal sealed class BenchApi : IAsyncDisposable
{
    /// <summary>The API's header for keys (<c>ApiKeyAuthenticationHandler.HeaderName</c>).</summary>
    private const string ApiKeyHeader = "X-Api-Key";

    private BenchApi(SiloInstance process, HttpClient client)
    {
        Process = process;
        Client = client;
    }

    public SiloInstance Process { get; }

    /// <summary>Calls the API as Admin.</summary>
    public HttpClient Client { get; }

    public static async Task<BenchApi> StartAsync(BenchEnvironment environment, BenchOptions options, TimeSpan requestTimeout)
    {
        var key = "dmk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Storage:ConnectionString"] = environment.Azurite.ConnectionString,
            ["Storage:Container"] = environment.Container.Name,
            ["Sinks:JsonLines:Path"] = environment.SinkFolder,
            ["Api:Authentication:ApiKeys:0:Name"] = "bench",
            ["Api:Authentication:ApiKeys:0:Role"] = "Admin",
            ["Api:Authentication:ApiKeys:0:Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))),
            // The bench's poll interval may be shorter than the product's floor (30 s); one client, many requests.
            ["Api:Tenants:MinPollInterval"] = "00:00:01",
            ["Api:RateLimit:PermitLimit"] = "1000000",
        };
        foreach (var (name, value) in options.Cluster)
        {
            settings[$"Cluster:{name}"] = value;
        }

        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var process = SiloInstance.StartApi(environment.ContentRootWith("api", settings), address);
        var client = new HttpClient { BaseAddress = address, Timeout = requestTimeout };
        client.DefaultRequestHeaders.Add(ApiKeyHeader, key);
        var api = new BenchApi(process, client);
        var waited = Stopwatch.StartNew();
        while (!await api.IsHealthyAsync())
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                await api.DisposeAsync();
                throw new InvalidOperationException($"The API did not become healthy at {address}.\n{process.Tail}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return api;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.StopOrKillAsync(TimeSpan.FromSeconds(30));
        await Process.DisposeAsync();
    }

    private async Task<bool> IsHealthyAsync()
    {
        try
        {
            using var response = await Client.GetAsync("health");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>A port free a moment ago; another process could take it before the API binds it, which would show as a start failure.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
