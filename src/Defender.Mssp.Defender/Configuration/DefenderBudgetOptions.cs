using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// Client-side rate limits that keep every request inside each API's documented budget, bound from section
/// <c>Defender:Budgets</c>; per-API limits under <c>Defender:Budgets:{api}</c> (e.g.
/// <c>Defender:Budgets:incidents:PerMinute</c>) override the documented defaults in <see cref="Apis"/>.
/// </summary>
public sealed class DefenderBudgetOptions
{
    public const string SectionName = "Defender:Budgets";

    /// <summary>The incidents API allows 50 calls a minute and 1,500 an hour per app per tenant.</summary>
    public const int IncidentsPerMinute = 50;

    public const int IncidentsPerHour = 1_500;

    /// <summary>The Defender for Endpoint alerts API allows 100 calls a minute and 1,500 an hour.</summary>
    public const int AlertsPerMinute = 100;

    public const int AlertsPerHour = 1_500;

    /// <summary>
    /// The SIEM API documents no rate; it is served by Defender for Endpoint, whose APIs allow 100 a minute and 1,500
    /// an hour, so the same budget is assumed.
    /// </summary>
    public const int SiemPerMinute = 100;

    public const int SiemPerHour = 1_500;

    /// <summary>Microsoft Graph security APIs allow 150 requests a minute per app per tenant.</summary>
    public const int GraphPerMinute = 150;

    /// <summary>Microsoft Graph allows an app 130,000 requests per 10 seconds across all tenants.</summary>
    public const int GraphAppPer10Seconds = 130_000;

    /// <summary>The app-wide scope both Graph sources share.</summary>
    public const string GraphAppScope = "graph";

    public const double DefaultBurstFraction = 0.1;

    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan DefaultWindowMargin = TimeSpan.FromSeconds(1);

    private static readonly string[] SettingNames =
        [nameof(Enabled), nameof(BurstFraction), nameof(MaxWait), nameof(WindowMargin), nameof(Apis)];

    /// <summary>False: requests are sent as soon as they are made (a 429's Retry-After is still honoured).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of each limit that may be sent at once; the rest is spread evenly over the limit's window, so no
    /// window can ever hold more than the limit.
    /// </summary>
    [Range(0.0, 1.0)]
    public double BurstFraction { get; set; } = DefaultBurstFraction;

    /// <summary>
    /// The longest a request waits for its budget. A longer wait (a long Retry-After pause, a deep queue) fails the
    /// request at once with a 429 <see cref="DefenderApiException"/> whose RetryAfter says when to come back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = DefaultMaxWait;

    /// <summary>
    /// Added to every window when pacing, so a request delayed by a late timer or the network still lands in the
    /// window the budget counted it in.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan WindowMargin { get; set; } = DefaultWindowMargin;

    /// <summary>Budgets by API name. An API without an entry (or with no limits) is not paced.</summary>
    public Dictionary<string, ApiBudgetOptions> Apis { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [DefenderSources.Incidents] = new() { PerMinute = IncidentsPerMinute, PerHour = IncidentsPerHour },
        [DefenderSources.Alerts] = new() { PerMinute = AlertsPerMinute, PerHour = AlertsPerHour },
        [DefenderSources.Siem] = new() { PerMinute = SiemPerMinute, PerHour = SiemPerHour },
        [DefenderSources.GraphAlerts] = new() { PerMinute = GraphPerMinute, AppPer10Seconds = GraphAppPer10Seconds, AppScope = GraphAppScope },
        [DefenderSources.GraphIncidents] = new() { PerMinute = GraphPerMinute, AppPer10Seconds = GraphAppPer10Seconds, AppScope = GraphAppScope },
    };

    /// <summary>
    /// Binds <c>Defender:Budgets:{api}</c> sections onto <see cref="Apis"/>, over the defaults: the API sections sit
    /// beside the scalar settings rather than under an <c>Apis</c> key, which the plain binder cannot express.
    /// </summary>
    internal void BindApis(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        foreach (var child in section.GetChildren())
        {
            if (SettingNames.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var api = Apis.TryGetValue(child.Key, out var existing) ? existing : new ApiBudgetOptions();
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(child, api);
            Apis[child.Key] = api;
        }
    }
}
