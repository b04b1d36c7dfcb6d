using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// A small typed client of Defender.Simulator's admin API (<c>/simulator</c>), over HTTP/JSON only. Give it an
/// <see cref="HttpClient"/> whose base address is the simulator's root and that trusts its certificate.
/// </summary>
public sealed class SimulatorAdminClient(HttpClient http)
{
    /// <summary>camelCase, enums as strings, nulls left out so the simulator's defaults apply.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Adds or replaces a tenant (a replaced tenant starts over: new records, stats and call log).</summary>
    public async Task<TenantSpec> PutTenantAsync(TenantSpec tenant, CancellationToken cancellationToken = default)
    {
        var id = tenant.TenantId == Guid.Empty ? Guid.NewGuid() : tenant.TenantId;
        using var response = await http.PutAsJsonAsync($"simulator/tenants/{id}", tenant with { TenantId = id }, JsonOptions, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<TenantSpec>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant with its effective settings (seed, start time), or null when it does not exist.</summary>
    public async Task<TenantSpec?> GetTenantAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"simulator/tenants/{tenantId}", cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<TenantSpec>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TenantSpec>> ListTenantsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<List<TenantSpec>>("simulator/tenants", cancellationToken).ConfigureAwait(false);

    public Task DeleteTenantAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"simulator/tenants/{tenantId}", null, cancellationToken);

    /// <summary>Replaces the tenant's fault rules.</summary>
    public Task SetFaultsAsync(Guid tenantId, IEnumerable<FaultSpec> faults, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"simulator/tenants/{tenantId}/faults", faults.ToList(), cancellationToken);

    /// <summary>Appends a fault rule.</summary>
    public Task AddFaultAsync(Guid tenantId, FaultSpec fault, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"simulator/tenants/{tenantId}/faults", fault, cancellationToken);

    public Task ClearFaultsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"simulator/tenants/{tenantId}/faults", null, cancellationToken);

    /// <summary>Adds or replaces an app registration.</summary>
    public Task PutAppAsync(Guid tenantId, AppSpec app, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(app.ClientId)}", app, cancellationToken);

    /// <summary>Adds a client secret; returns its key id.</summary>
    public async Task<Guid> AddSecretAsync(
        Guid tenantId, string clientId, string secret, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(
            $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(clientId)}/secrets",
            new SecretSpec { Value = secret, ExpiresAt = expiresAt }, JsonOptions, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false)).GetProperty("keyId").GetGuid();
    }

    public Task RevokeSecretAsync(Guid tenantId, string clientId, Guid keyId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(clientId)}/secrets/{keyId}", null, cancellationToken);

    /// <summary>Grants or revokes admin consent (without it token requests fail with AADSTS65001).</summary>
    public Task SetConsentAsync(Guid tenantId, string clientId, bool granted, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"simulator/tenants/{tenantId}/apps/{Uri.EscapeDataString(clientId)}/consent", new { granted }, cancellationToken);

    /// <summary>Freezes the tenant's world: nothing new after <paramref name="at"/> (now when null). Returns the stop time.</summary>
    public async Task<DateTimeOffset> StopGeneratorAsync(Guid tenantId, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync($"simulator/tenants/{tenantId}/generator/stop", new { at }, JsonOptions, cancellationToken).ConfigureAwait(false);
        return (await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false)).GetProperty("stopTime").GetDateTimeOffset();
    }

    public Task<SimulatorTenantStats> GetStatsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        GetAsync<SimulatorTenantStats>($"simulator/tenants/{tenantId}/stats", cancellationToken);

    public Task<SimulatorStats> GetAllStatsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<SimulatorStats>("simulator/stats", cancellationToken);

    public Task<SimulatorCallLog> GetCallsAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        GetAsync<SimulatorCallLog>($"simulator/tenants/{tenantId}/calls", cancellationToken);

    /// <summary>Every record version generated so far for <paramref name="source"/> ("incidents" or "siem").</summary>
    public async Task<IReadOnlyList<SimulatorTruthEntry>> GetTruthAsync(
        Guid tenantId, string source, bool includeRecords = false, CancellationToken cancellationToken = default) =>
        await GetAsync<List<SimulatorTruthEntry>>(
            $"simulator/tenants/{tenantId}/truth/{source}?includeRecords={(includeRecords ? "true" : "false")}", cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<SimulatorIsolationViolation>> GetIsolationViolationsAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<List<SimulatorIsolationViolation>>("simulator/isolation-violations", cancellationToken).ConfigureAwait(false);

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: JsonOptions);
        }

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException(
                $"Simulator admin API {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}",
                null, response.StatusCode);
        }
    }
}
