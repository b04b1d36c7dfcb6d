using System.Net.Http.Json;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// The simulator's API rate limits in force for every tenant without limits of its own (<c>/simulator/throttling</c>).
/// The simulator enforces the documented limits by default; a test that calls faster raises them here.
/// </summary>
public sealed class SimulatorThrottlingClient(HttpClient http)
{
    public async Task<ThrottlingLimitsSpec> GetAsync(CancellationToken cancellationToken = default) =>
        (await http.GetFromJsonAsync<ThrottlingLimitsSpec>("simulator/throttling", SimulatorAdminClient.JsonOptions, cancellationToken)
            .ConfigureAwait(false))!;

    /// <summary>Replaces the limits; counts already made carry on.</summary>
    public async Task<ThrottlingLimitsSpec> PutAsync(ThrottlingLimitsSpec limits, CancellationToken cancellationToken = default)
    {
        using var response = await http.PutAsJsonAsync("simulator/throttling", limits, SimulatorAdminClient.JsonOptions, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"PUT simulator/throttling answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}",
                null, response.StatusCode);
        }

        return (await response.Content.ReadFromJsonAsync<ThrottlingLimitsSpec>(SimulatorAdminClient.JsonOptions, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Stops enforcing limits for tenants without their own.</summary>
    public Task<ThrottlingLimitsSpec> DisableAsync(CancellationToken cancellationToken = default) =>
        PutAsync(new ThrottlingLimitsSpec { Enabled = false }, cancellationToken);
}

/// <summary>Mirrors the simulator's <c>ThrottlingOptions</c>: limits by API name (incidents, siem, alerts, graph-alerts, graph-incidents).</summary>
public sealed record ThrottlingLimitsSpec
{
    public bool Enabled { get; init; } = true;

    /// <summary>Limits by API name; null leaves the simulator's documented defaults.</summary>
    public Dictionary<string, ApiRateLimitSpec>? Apis { get; init; }
}

/// <summary>One API's limits; empty or 0 is not enforced.</summary>
public sealed record ApiRateLimitSpec
{
    public int? PerMinute { get; init; }

    public int? PerHour { get; init; }

    /// <summary>Per app across all tenants per 10 seconds (Graph).</summary>
    public int? AppPer10Seconds { get; init; }

    /// <summary>APIs with the same scope share the app-wide count.</summary>
    public string? AppScope { get; init; }
}
