namespace Defender.Simulator.Records;

/// <summary>The content of one incident version, before it is written as JSON.</summary>
internal sealed class IncidentState
{
    public required int IncidentId { get; init; }

    public int? RedirectIncidentId { get; set; }

    public required string IncidentName { get; init; }

    public required DateTimeOffset CreatedTime { get; init; }

    public DateTimeOffset LastUpdateTime { get; set; }

    public string? AssignedTo { get; set; }

    public string Classification { get; set; } = "Unknown";

    public string Determination { get; set; } = "NotAvailable";

    public string Status { get; set; } = "Active";

    public string Severity { get; set; } = "Informational";

    public List<string> Tags { get; } = [];

    public List<IncidentComment> Comments { get; } = [];

    public List<AlertState> Alerts { get; } = [];
}

internal sealed record IncidentComment(string Comment, string CreatedBy, DateTimeOffset CreatedTime);

/// <summary>One alert inside an incident version.</summary>
internal sealed class AlertState
{
    public required string AlertId { get; init; }

    public required AlertTemplate Template { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public DateTimeOffset LastUpdatedTime { get; set; }

    public DateTimeOffset? ResolvedTime { get; set; }

    public required DateTimeOffset FirstActivity { get; init; }

    public required DateTimeOffset LastActivity { get; init; }

    public string Status { get; set; } = "New";

    public string? Classification { get; set; }

    public string? Determination { get; set; }

    public string? AssignedTo { get; set; }

    public int? InvestigationId { get; init; }

    public string InvestigationState { get; set; } = "Queued";

    public DeviceProfile? Device { get; init; }

    public List<EntityState> Entities { get; } = [];
}

/// <summary>An entity of an alert: its type and the fields that type carries (all others are written as null).</summary>
internal sealed class EntityState(EntityKind kind)
{
    public EntityKind Kind { get; } = kind;

    public Dictionary<string, object?> Fields { get; } = new(StringComparer.Ordinal);
}
