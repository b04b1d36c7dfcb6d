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

    /// <summary>Serve the real page but cut its JSON in half; the response ends cleanly.</summary>
    TruncatedJson,

    /// <summary>
    /// Send the headers and the first half of the real page, then nothing for <see cref="FaultRule.StallSeconds"/> (on
    /// the simulator's clock) unless the client gives up first; then the rest.
    /// </summary>
    StallMidBody,

    /// <summary>
    /// Serve the page without <see cref="FaultRule.Field"/> in its first record (the source's id field when absent);
    /// <c>value</c> removes the page's record array instead.
    /// </summary>
    MissingField,

    /// <summary>Serve the page with the first record's time field (or <see cref="FaultRule.Field"/>) not a timestamp.</summary>
    BadTimestamp,

    /// <summary>Answer 200 with no body at all.</summary>
    EmptyBody,

    /// <summary>Serve the page with its first record twice.</summary>
    DuplicateRecords,
}

/// <summary>How an injected 429 (or 503) says when to come back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RetryAfterFormat>))]
public enum RetryAfterFormat
{
    /// <summary><c>Retry-After: N</c> (delta seconds), and "in N seconds" in the body.</summary>
    Seconds,

    /// <summary><c>Retry-After</c> as an HTTP date N seconds ahead on the simulator's clock.</summary>
    HttpDate,

    /// <summary>No header: only the body's "Try again in N seconds."</summary>
    BodyOnly,
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

    /// <summary>How the wait of a 429 or 503 is told; <see cref="RetryAfterFormat.Seconds"/> when absent.</summary>
    public RetryAfterFormat RetryAfterFormat { get; set; } = RetryAfterFormat.Seconds;

    /// <summary>How long a <see cref="FaultKind.Stall"/> or <see cref="FaultKind.StallMidBody"/> holds the request.</summary>
    public double StallSeconds { get; set; } = 30;

    /// <summary>The record field a <see cref="FaultKind.MissingField"/> or <see cref="FaultKind.BadTimestamp"/> spoils.</summary>
    public string? Field { get; set; }

    /// <summary>How many requests the rule still affects; always when absent.</summary>
    public int? Remaining { get; set; }

    /// <summary>
    /// The chance (0..1) that a matching request is hit; every request when absent. A request the draw spares uses
    /// up no <see cref="Remaining"/> hit and falls through to the next rule.
    /// </summary>
    public double? Probability { get; set; }

    /// <summary>
    /// Seed of the <see cref="Probability"/> draws; derived from the tenant id when absent, so the same requests in
    /// the same order are hit on every run.
    /// </summary>
    public ulong? Seed { get; set; }

    /// <summary>The rule's draws so far: the stream index of its next one.</summary>
    internal ulong Draws { get; set; }

    /// <summary>Why the rule cannot be honoured, or null.</summary>
    public string? Problem() => this switch
    {
        { Remaining: < 0 } => "A fault's remaining count cannot be negative.",
        { Probability: < 0 or > 1 } => "A fault's probability must be between 0 and 1.",
        { StallSeconds: < 0 } => "A fault's stall cannot be negative.",
        { RetryAfterSeconds: < 0 } => "A fault's Retry-After cannot be negative.",
        _ => null,
    };

    /// <summary>A copy with the same settings and draw position.</summary>
    internal FaultRule Copy() => new()
    {
        Source = Source,
        Kind = Kind,
        Status = Status,
        RetryAfterSeconds = RetryAfterSeconds,
        RetryAfterFormat = RetryAfterFormat,
        StallSeconds = StallSeconds,
        Field = Field,
        Remaining = Remaining,
        Probability = Probability,
        Seed = Seed,
        Draws = Draws,
    };
}
