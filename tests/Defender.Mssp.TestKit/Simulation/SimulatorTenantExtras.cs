using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// The simulator's tenant settings for the successor APIs that <see cref="TenantSpec"/> does not carry: which APIs a
/// tenant serves (<c>sources</c>: incidents, siem, alerts, graph-alerts, graph-incidents; all when absent) and the
/// share of SIEM-exported alerts the alerts APIs later show reviewed (<c>generator.updatedAlertShare</c>).
/// </summary>
public static class SimulatorTenantExtras
{
    /// <summary>The simulator's API names, the same as the product's source names.</summary>
    public static IReadOnlyList<string> AllSources { get; } = ["incidents", "siem", "alerts", "graph-alerts", "graph-incidents"];

    /// <summary>
    /// Adds or replaces a tenant as <see cref="SimulatorAdminClient.PutTenantAsync"/> does, with the extras set.
    /// <paramref name="http"/> must have the simulator's root as base address (e.g. <c>SimulatorFixture.CreateHttpClient()</c>).
    /// </summary>
    public static async Task PutTenantAsync(
        HttpClient http, TenantSpec tenant, IReadOnlyList<string>? sources = null, double? updatedAlertShare = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tenant);
        var body = JsonSerializer.SerializeToNode(tenant, SimulatorAdminClient.JsonOptions)!.AsObject();
        if (sources is not null)
        {
            body["sources"] = new JsonArray([.. sources.Select(s => JsonValue.Create(s))]);
        }

        if (updatedAlertShare is { } share)
        {
            body["generator"]!.AsObject()["updatedAlertShare"] = share;
        }

        using var response = await http.PutAsJsonAsync($"simulator/tenants/{tenant.TenantId}", body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Simulator admin API PUT tenant {tenant.TenantId} answered {(int)response.StatusCode}: " +
                await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null, response.StatusCode);
        }
    }
}
