using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// The source documents' approach as a poller: one tenant after another; for each API a fresh token (a plain
/// client-credentials POST to the v1 token endpoint, no cache), then the request (seed 000: incidents with a
/// <c>lastUpdateTime ge</c> filter; seed 003: SIEM alerts with <c>sinceTimeUtc</c>), the answer parsed; all
/// sequential. It reuses one HttpClient (kept-alive connections), which is kinder to it than the scripts are.
/// </summary>
internal sealed class BaselinePoller(BenchEnvironment environment, BenchOptions options)
{
    private const string IncidentsResource = "https://api.security.microsoft.com";
    private const string SiemResource = "https://graph.windows.net";

    public async Task<BaselineResult> RunAsync(IReadOnlyList<Guid> tenants)
    {
        using var http = environment.CreateSimulatorClient();
        var since = DateTimeOffset.UtcNow - options.PollInterval;
        var stamp = since.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var requests = 0;
        var records = 0L;
        var round = Stopwatch.StartNew();
        foreach (var tenant in tenants)
        {
            var token = await TokenAsync(http, tenant, IncidentsResource);
            records += await GetAsync(http, $"api/incidents?$filter={Uri.EscapeDataString($"lastUpdateTime ge {stamp}")}", token, "value");
            token = await TokenAsync(http, tenant, SiemResource);
            records += await GetAsync(http, $"api/alerts?sinceTimeUtc={Uri.EscapeDataString(stamp)}", token, property: null);
            requests += 4;
        }

        var elapsed = round.Elapsed;
        return new BaselineResult
        {
            TenantsPolled = tenants.Count,
            RoundSeconds = elapsed.TotalSeconds,
            RoundSecondsForAll = elapsed.TotalSeconds * environment.TenantIds.Count / tenants.Count,
            Requests = requests,
            Records = records,
        };
    }

    private async Task<string> TokenAsync(HttpClient http, Guid tenant, string resource)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = environment.ClientId,
            ["client_secret"] = environment.Secret,
            ["resource"] = resource,
        });
        using var response = await http.PostAsync($"{tenant}/oauth2/token", form);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>Returns how many records the answer held (the array at the root, or in <paramref name="property"/>).</summary>
    private static async Task<int> GetAsync(HttpClient http, string path, string token, string? property)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var array = property is null ? body.RootElement : body.RootElement.GetProperty(property);
        return array.GetArrayLength();
    }
}

/// <summary>One round of the baseline poller.</summary>
internal sealed record BaselineResult
{
    public int TenantsPolled { get; init; }

    public double RoundSeconds { get; init; }

    /// <summary>The round scaled to every tenant of the run (linear: the poller is sequential).</summary>
    public double RoundSecondsForAll { get; init; }

    public int Requests { get; init; }

    public long Records { get; init; }
}
