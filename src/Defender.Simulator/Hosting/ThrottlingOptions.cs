using Defender.Simulator.Tenants;

namespace Defender.Simulator.Hosting;

/// <summary>
/// The documented API rate limits the simulator enforces for every tenant (section <c>Simulator:Throttling</c>),
/// keyed by API name — the names of the simulated APIs and of the product's sources: <c>incidents</c>, <c>siem</c>,
/// <c>alerts</c>, <c>graph-alerts</c>, <c>graph-incidents</c>. A call over a limit gets 429 with <c>Retry-After</c>
/// (seconds to the end of the window) and "Try again in N seconds." in the body. Enforced by default; tests that
/// want more raise the limits here, at run time through <c>PUT /simulator/throttling</c>, or per tenant.
/// </summary>
public sealed class ThrottlingOptions
{
    /// <summary>The incidents API: 50 calls a minute and 1,500 an hour per app per tenant.</summary>
    public const int IncidentsPerMinute = 50;

    public const int IncidentsPerHour = 1_500;

    /// <summary>The Defender for Endpoint alerts API: 100 calls a minute and 1,500 an hour.</summary>
    public const int AlertsPerMinute = 100;

    public const int AlertsPerHour = 1_500;

    /// <summary>The SIEM API documents none; it gets Defender for Endpoint's 100 a minute and 1,500 an hour.</summary>
    public const int SiemPerMinute = 100;

    public const int SiemPerHour = 1_500;

    /// <summary>Microsoft Graph security APIs: 150 requests a minute per app per tenant.</summary>
    public const int GraphPerMinute = 150;

    /// <summary>Microsoft Graph: 130,000 requests per 10 seconds per app across all tenants.</summary>
    public const int GraphAppPer10Seconds = 130_000;

    /// <summary>The app-wide scope the Graph APIs share.</summary>
    public const string GraphAppScope = "graph";

    /// <summary>False: only tenants with their own <see cref="Tenants.ThrottlingSettings"/> are limited.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Limits by API name; an API without an entry is not limited.</summary>
    public Dictionary<string, ApiRateLimitOptions> Apis { get; set; } = Documented();

    /// <summary>The documented limits of every simulated API.</summary>
    public static Dictionary<string, ApiRateLimitOptions> Documented() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["incidents"] = new() { PerMinute = IncidentsPerMinute, PerHour = IncidentsPerHour },
        ["siem"] = new() { PerMinute = SiemPerMinute, PerHour = SiemPerHour },
        ["alerts"] = new() { PerMinute = AlertsPerMinute, PerHour = AlertsPerHour },
        ["graph-alerts"] = new() { PerMinute = GraphPerMinute, AppPer10Seconds = GraphAppPer10Seconds, AppScope = GraphAppScope },
        ["graph-incidents"] = new() { PerMinute = GraphPerMinute, AppPer10Seconds = GraphAppPer10Seconds, AppScope = GraphAppScope },
    };

    internal ThrottlingOptions Copy() => new()
    {
        Enabled = Enabled,
        Apis = new(Apis.ToDictionary(api => api.Key, api => api.Value.Copy()), StringComparer.OrdinalIgnoreCase),
    };
}
