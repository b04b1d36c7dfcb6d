using System.Text.Json.Serialization;

namespace Defender.Simulator.Faults;

/// <summary>Which endpoint a fault rule applies to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultSource>))]
public enum FaultSource
{
    /// <summary>Every endpoint of the tenant.</summary>
    Any,

    /// <summary>The token endpoint (v1 and v2).</summary>
    Token,

    /// <summary><c>/api/incidents</c>.</summary>
    Incidents,

    /// <summary>The SIEM API <c>/api/alerts</c>.</summary>
    Siem,

    /// <summary>The Defender for Endpoint alerts API <c>/api/alerts</c> (OData options, securitycenter host).</summary>
    Alerts,

    /// <summary>Microsoft Graph <c>/v1.0/security/alerts_v2</c>.</summary>
    GraphAlerts,

    /// <summary>Microsoft Graph <c>/v1.0/security/incidents</c>.</summary>
    GraphIncidents,
}

/// <summary>What an injected fault does to the response.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.Status"/> and the body the real service sends for it.</summary>
    Status,

    /// <summary>Answer 200 with a truncated JSON body.</summary>
    MalformedJson,

    /// <summary>Hold the request for <see cref="FaultRule.StallSeconds"/> (on the simulator's clock), then serve it.</summary>
    Stall,

    /// <summary>Abort the connection without a response.</summary>
    Reset,
}

/// <summary>
/// One fault to inject for a tenant. Rules are checked in order; the first that matches the request's source fires and
/// uses up one of its <see cref="Remaining"/> hits.
/// </summary>
public sealed class FaultRule
{
    /// <summary>The endpoint the rule applies to.</summary>
    public FaultSource Source { get; set; } = FaultSource.Any;

    /// <summary>What the fault does.</summary>
    public FaultKind Kind { get; set; } = FaultKind.Status;

    /// <summary>HTTP status for <see cref="FaultKind.Status"/> (e.g. 403, 429, 500, 503).</summary>
    public int Status { get; set; } = 500;

    /// <summary><c>Retry-After</c> seconds sent with a 429 or 503; 429 defaults to 30 when absent.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>How long a <see cref="FaultKind.Stall"/> holds the request.</summary>
    public double StallSeconds { get; set; } = 30;

    /// <summary>How many requests the rule still affects; always when absent.</summary>
    public int? Remaining { get; set; }
}
