using System.Text.Json.Serialization;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// A tenant of Defender.Simulator as its admin API reads and returns it (JSON, camelCase). Mirrors the simulator's
/// TenantDefinition without referencing it, so any test project can use the admin API over HTTP alone.
/// </summary>
public sealed record TenantSpec
{
    public Guid TenantId { get; init; }

    public string? DisplayName { get; init; }

    public List<AppSpec> Apps { get; init; } = [];

    public GeneratorSpec Generator { get; init; } = new();

    public List<FaultSpec> Faults { get; init; } = [];

    /// <summary>Access token lifetime; 3599 s when absent.</summary>
    public TimeSpan? TokenLifetime { get; init; }

    /// <summary>Documented rate limits to enforce; none when absent.</summary>
    public ThrottlingSpec? Throttling { get; init; }

    /// <summary>A tenant with one consented app holding one secret: the common case.</summary>
    public static TenantSpec Create(Guid tenantId, string clientId, string secret, GeneratorSpec? generator = null) => new()
    {
        TenantId = tenantId,
        Apps = [new AppSpec { ClientId = clientId, Secrets = [new SecretSpec { Value = secret }] }],
        Generator = generator ?? new GeneratorSpec(),
    };
}

/// <summary>An app registration (service principal) in a simulated tenant.</summary>
public sealed record AppSpec
{
    public string ClientId { get; init; } = "";

    public string? DisplayName { get; init; }

    public List<SecretSpec> Secrets { get; init; } = [];

    public bool ConsentGranted { get; init; } = true;
}

/// <summary>A client secret: <see cref="Value"/> when sent; the simulator returns only <see cref="Hint"/>.</summary>
public sealed record SecretSpec
{
    public Guid? KeyId { get; init; }

    public string? Value { get; init; }

    public string? Hint { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>
/// Record generator settings; absent values take the simulator's defaults (seed from tenant id, start = now, 2 h of
/// history, 1 incident and 2 SIEM alerts a minute, 10 s + up to 20 s visibility delay, 30% of incidents updated).
/// </summary>
public sealed record GeneratorSpec
{
    public long? Seed { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public TimeSpan? History { get; init; }

    public double? IncidentsPerMinute { get; init; }

    public double? SiemAlertsPerMinute { get; init; }

    public TimeSpan? VisibilityDelay { get; init; }

    public TimeSpan? VisibilityJitter { get; init; }

    public double? UpdatedIncidentShare { get; init; }

    public TimeSpan? MaxUpdateDelay { get; init; }

    public double? SiemMultiDetectionShare { get; init; }

    public List<string>? MachineGroups { get; init; }

    public int? DeviceCount { get; init; }

    public DateTimeOffset? StopTime { get; init; }
}

/// <summary>Which endpoint a fault applies to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulatorFaultSource>))]
public enum SimulatorFaultSource
{
    Any,
    Token,
    Incidents,
    Siem,
    Alerts,
    GraphAlerts,
    GraphIncidents,
}

/// <summary>What a fault does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulatorFaultKind>))]
public enum SimulatorFaultKind
{
    /// <summary>Answer with the status and the real service's body for it.</summary>
    Status,

    /// <summary>200 with a truncated JSON body.</summary>
    MalformedJson,

    /// <summary>Hold the request for StallSeconds on the simulator's clock, then serve it.</summary>
    Stall,

    /// <summary>Abort the connection.</summary>
    Reset,

    /// <summary>The real page cut in half; the response ends cleanly.</summary>
    TruncatedJson,

    /// <summary>Headers and half the real page, then nothing for StallSeconds (simulator clock), then the rest.</summary>
    StallMidBody,

    /// <summary>The page's first record without Field (the source's id field when absent); Field "value": the page without its array.</summary>
    MissingField,

    /// <summary>The page's first record with its time field (or Field) not a timestamp.</summary>
    BadTimestamp,

    /// <summary>200 with no body.</summary>
    EmptyBody,

    /// <summary>The page's first record twice.</summary>
    DuplicateRecords,
}

/// <summary>How an injected 429 says when to come back.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulatorRetryAfterFormat>))]
public enum SimulatorRetryAfterFormat
{
    /// <summary><c>Retry-After: N</c>.</summary>
    Seconds,

    /// <summary><c>Retry-After</c> as an HTTP date.</summary>
    HttpDate,

    /// <summary>No header; "in N seconds" in the body only.</summary>
    BodyOnly,
}

/// <summary>A fault rule; <see cref="Remaining"/> null means always.</summary>
public sealed record FaultSpec
{
    public SimulatorFaultSource Source { get; init; } = SimulatorFaultSource.Any;

    public SimulatorFaultKind Kind { get; init; } = SimulatorFaultKind.Status;

    public int Status { get; init; } = 500;

    public int? RetryAfterSeconds { get; init; }

    public double StallSeconds { get; init; } = 30;

    public int? Remaining { get; init; }

    public SimulatorRetryAfterFormat RetryAfterFormat { get; init; } = SimulatorRetryAfterFormat.Seconds;

    /// <summary>The field MissingField removes or BadTimestamp spoils.</summary>
    public string? Field { get; init; }

    /// <summary>Chance (0..1) a matching request is hit; a spared request uses no Remaining hit.</summary>
    public double? Probability { get; init; }

    /// <summary>Seed of the Probability draws; from the tenant id when absent.</summary>
    public ulong? Seed { get; init; }
}

/// <summary>Per-app limits per clock minute/hour; the incidents API documents 50 a minute and 1,500 an hour.</summary>
public sealed record ThrottlingSpec
{
    public int? IncidentsPerMinute { get; init; } = 50;

    public int? IncidentsPerHour { get; init; } = 1500;

    public int? SiemPerMinute { get; init; }

    public int? SiemPerHour { get; init; }
}
