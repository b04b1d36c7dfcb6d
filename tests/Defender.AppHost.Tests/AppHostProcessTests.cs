using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Defender.AppHost.Tests.Infrastructure;

namespace Defender.AppHost.Tests;

/// <summary>
/// The README's run command as a person uses it: start the AppHost, open the dashboard with the printed key, watch
/// demo tenants being polled and records arriving, see a killed silo come back, press Ctrl+C — and nothing it started
/// is left running.
/// </summary>
public sealed partial class AppHostProcessTests : IDisposable
{
    /// <summary>A cold start of Azurite and five .NET processes on a two-core CI machine; far above what it needs.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Every resource gets 30 s to stop gracefully; the AppHost stops them in dependency order.</summary>
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(100);

    private readonly string _data = Directory.CreateTempSubdirectory("defender-apphost-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Azurite may still be flushing a file for a moment; the temp folder is cleaned eventually anyway.
        }
    }

    [Fact]
    public async Task Runs_demo_tenants_into_the_sink_restarts_a_dead_silo_and_stops_every_child_on_ctrl_c()
    {
        using var collector = new OtlpReceiver();
        await using var host = AppHostProcess.Start(
            ["--tenants", "2", "--data", _data],
            new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            });

        var dashboard = new Uri((await host.WaitForLineAsync(DashboardLine(), StartTimeout)).Groups["url"].Value);
        var key = (await host.WaitForLineAsync(AdminKeyLine(), TimeSpan.FromSeconds(5))).Groups["key"].Value;
        Assert.Equal(IPAddress.Loopback.ToString(), dashboard.Host);

        var children = ChildrenByRole(host);
        var expected = new Dictionary<string, int> { ["silo"] = 2, ["api"] = 1, ["simulator"] = 1, ["azurite"] = 1 }; // two silos by default
        Assert.True(expected.All(role => children[role.Key].Count == role.Value),
            "Children: " + string.Join("; ", host.Descendants.Select(p => $"{p.Pid} {p.CommandLine}")) + "\n" + host.Tail());
        AssertTelemetryWiring(children, collector.Endpoint);

        using var api = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(30) };
        await AssertDashboardServedAsync(api, key);

        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        var tenants = await ListTenantsAsync(api);
        Assert.Equal(["Contoso 001", "Contoso 002"], tenants.Values.Order());

        await Eventually(async () => (await Task.WhenAll(tenants.Keys.Select(id => HasBeenPolledAsync(api, id)))).All(polled => polled),
            PollTimeout, "each demo tenant's status shows a completed poll with records delivered", host);
        await Eventually(() => Task.FromResult(tenants.Keys.All(id => SinkLines(id) > 0)),
            PollTimeout, "each demo tenant's folder in the sink holds records", host);
        await Eventually(() => Task.FromResult(children["silo"].Concat(children["api"]).All(p => collector.Received("/v1/logs", InstanceId(p)))),
            PollTimeout, "the silos and the API export their logs to the collector under their own instance ids", host);

        // A silo that dies is started again (and the one it replaces is gone: SIGKILL, no handover).
        var killed = children["silo"][0];
        Process.GetProcessById(killed.Pid).Kill();
        await Eventually(() => Task.FromResult(ChildrenByRole(host)["silo"] is { Count: 2 } silos && !silos.Contains(killed)
                && host.Lines.Any(line => line.StartsWith("silo-", StringComparison.Ordinal) && line.Contains("| healthy again at", StringComparison.Ordinal))),
            PollTimeout, "a new silo process replaces the killed one and is healthy", host);

        host.Interrupt();
        Assert.True(await host.WaitForExitAsync(ExitTimeout), $"The AppHost did not exit after Ctrl+C.\n{host.Tail()}");
        Assert.True(host.ExitCode == 0, $"The AppHost exited with {host.ExitCode}.\n{host.Tail()}");
        foreach (var name in new[] { "silo-0", "silo-1", "api", "simulator" })
        {
            // Exit code 0 from each: stopped by SIGTERM and shut down gracefully, not killed after the grace period.
            Assert.True(host.Lines.Any(line => line.StartsWith(name + " ", StringComparison.Ordinal) && line.EndsWith("| exited with code 0", StringComparison.Ordinal)),
                $"{name} did not exit with code 0.\n{host.Tail()}");
        }

        var survivors = host.Descendants.Where(ProcessTable.IsRunning).ToList();
        Assert.True(survivors.Count == 0, "Still running after the AppHost exited: " + string.Join("; ", survivors.Select(p => $"{p.Pid} {p.CommandLine}")));
    }

    [Fact]
    public async Task Usage_errors_exit_with_code_2_before_anything_starts()
    {
        await using var host = AppHostProcess.Start(["--no-simulator", "--tenants", "2", "--data", _data], new Dictionary<string, string>());

        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(60)), host.Tail());
        Assert.Equal(2, host.ExitCode);
        Assert.Contains(host.Lines, line => line.Contains("--tenants", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Lines, line => line.Contains("started (pid", StringComparison.Ordinal));
        Assert.Empty(host.Descendants);
    }

    /// <summary>The AppHost's children by what they run: silo, api, simulator (dotnet) and azurite (node).</summary>
    private static Dictionary<string, List<ProcessIdentity>> ChildrenByRole(AppHostProcess host)
    {
        var roles = new Dictionary<string, string>
        {
            ["silo"] = "Defender.Mssp.Silo.dll",
            ["api"] = "Defender.Mssp.Api.dll",
            ["simulator"] = "Defender.Simulator.dll",
            ["azurite"] = "azurite",
        };
        var running = host.Descendants.Where(ProcessTable.IsRunning).ToList();
        return roles.ToDictionary(role => role.Key,
            role => running.Where(p => ProcessTable.CommandLine(p.Pid).Contains(role.Value, StringComparison.Ordinal)).ToList());
    }

    /// <summary>
    /// Every .NET child is given the collector's endpoint and protocol, its resource's service name, and an instance
    /// id of its own (two silos: two ids).
    /// </summary>
    private static void AssertTelemetryWiring(Dictionary<string, List<ProcessIdentity>> children, Uri collector)
    {
        foreach (var role in new[] { "silo", "api", "simulator" })
        {
            foreach (var process in children[role])
            {
                var environment = ProcessTable.Environment(process.Pid);
                Assert.Equal(collector.ToString(), environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT"));
                Assert.Equal("http/protobuf", environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL"));
                Assert.Equal(role, environment.GetValueOrDefault("OTEL_SERVICE_NAME"));
                Assert.StartsWith(role, InstanceId(process), StringComparison.Ordinal);
            }
        }

        Assert.Equal(2, children["silo"].Select(InstanceId).Distinct().Count());
    }

    private static string InstanceId(ProcessIdentity process) =>
        ProcessTable.Environment(process.Pid).GetValueOrDefault("OTEL_RESOURCE_ATTRIBUTES", "")
            .Split(',').Select(attribute => attribute.Split('=', 2))
            .Single(pair => pair[0] == "service.instance.id")[1];

    /// <summary>
    /// The dashboard at <c>/</c> is an HTML page, served without a key (it asks for one), and the printed key opens
    /// its session. Until the dashboard is part of the API, <c>/</c> is 404 and the authenticated API calls of the
    /// test carry the check that the API answers with the printed key.
    /// </summary>
    private static async Task AssertDashboardServedAsync(HttpClient api, string key)
    {
        using var page = await api.GetAsync("/");
        if (page.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var session = new HttpRequestMessage(HttpMethod.Get, "/dashboard/session") { Headers = { { "X-Api-Key", key } } };
        using var answer = await api.SendAsync(session);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    /// <summary>Tenant id → display name, as <c>GET /tenants</c> lists them.</summary>
    private static async Task<Dictionary<string, string>> ListTenantsAsync(HttpClient api)
    {
        using var page = await api.GetFromJsonAsync<JsonDocument>("/tenants");
        return page!.RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(t => t.GetProperty("tenantId").GetString()!, t => t.GetProperty("displayName").GetString()!);
    }

    private static async Task<bool> HasBeenPolledAsync(HttpClient api, string tenantId)
    {
        using var status = await api.GetFromJsonAsync<JsonDocument>($"/tenants/{tenantId}/status");
        var root = status!.RootElement;
        return root.GetProperty("lastPollCompletedAt").ValueKind == JsonValueKind.String
            && root.GetProperty("recordsDelivered").GetInt64() > 0;
    }

    private long SinkLines(string tenantId)
    {
        var folder = Path.Combine(_data, "sink", tenantId);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories).Sum(file => File.ReadLines(file).LongCount())
            : 0;
    }

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what, AppHostProcess host)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.False(host.HasExited, $"The AppHost exited while waiting until {what}.\n{host.Tail()}");
            Assert.True(DateTime.UtcNow < deadline, $"Not true within {timeout.TotalSeconds:0} s: {what}.\n{host.Tail()}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    [GeneratedRegex(@"\| Dashboard\s+(?<url>https?://\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"\| Admin key\s+(?<key>\S+)")]
    private static partial Regex AdminKeyLine();
}
