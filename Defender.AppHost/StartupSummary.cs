using Defender.AppHost.Hosting;
using Defender.AppHost.ManagementApi;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost;

/// <summary>
/// What the person at the terminal needs once everything is ready: where the dashboard is, the key to log in with,
/// and where data and telemetry go. The key is printed here and nowhere else.
/// </summary>
public sealed record StartupSummary(
    AppHostOptions Options,
    ProjectResource Api,
    ProjectResource Silo,
    ProjectResource? Simulator,
    IResourceWithConnectionString Storage,
    GeneratedApiKey OperatorKey,
    IConfiguration HostConfiguration)
{
    public const string DashboardLabel = "Dashboard";

    public const string AdminKeyLabel = "Admin key";

    public IEnumerable<string> Lines()
    {
        var api = Api.Endpoints[0];
        var rule = new string('─', 100);
        yield return rule;
        yield return $"{DashboardLabel,-11} {api}";
        yield return $"{AdminKeyLabel,-11} {OperatorKey.Key}   (header {ManagementApiClient.ApiKeyHeader}, role Admin; new every run)";
        yield return $"{"API",-11} {new Uri(api, "/tenants")}, {new Uri(api, "/cluster")}, OpenAPI at {new Uri(api, "/openapi/v1.json")}";
        yield return $"{"Silos",-11} {string.Join(", ", Silo.Processes.Select(p => $"{p.Name} (pid {p.ProcessId})"))}";
        yield return Simulator is { } simulator
            ? $"{"Tenants",-11} {Options.Tenants} demo tenants, served by the simulator at {simulator.Endpoints[0]}"
            : $"{"Tenants",-11} those onboarded through the API (POST {new Uri(api, "/tenants")}), polled at the real Microsoft endpoints";
        yield return Storage is AzuriteResource azurite
            ? $"{"Storage",-11} local Azurite, data in {azurite.DataFolder}"
            : $"{"Storage",-11} the storage account of the connection string given";
        yield return $"{"Sink",-11} {Options.SinkPath} (JSON lines, a folder per tenant)";
        yield return $"{"Telemetry",-11} {OtlpEnvironment.Describe(HostConfiguration)}";
        yield return "Ctrl+C stops everything: silos first (they hand their tenants over), storage last.";
        yield return rule;
    }

    public void Print() => ConsoleLog.Block(Lines());
}
