namespace Defender.Simulator.Records;

/// <summary>
/// What one alert version says, independent of how an API spells it; the Defender for Endpoint and Graph writers
/// render it. Values use the incidents API's spelling (PascalCase enums).
/// </summary>
internal sealed class AlertContent
{
    public required string Id { get; init; }

    public int? IncidentId { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required string Category { get; init; }

    public required string Severity { get; init; }

    public required string Status { get; init; }

    public string? Classification { get; init; }

    public string? Determination { get; init; }

    public string? AssignedTo { get; init; }

    public int? InvestigationId { get; init; }

    public required string InvestigationState { get; init; }

    /// <summary>The incidents API's detectionSource (<c>WindowsDefenderAv</c>, <c>EDR</c>, <c>CustomTi</c>, …).</summary>
    public required string DetectionSource { get; init; }

    /// <summary>The incidents API's serviceSource (<c>MicrosoftDefenderATP</c>, <c>OfficeATP</c>, …).</summary>
    public required string ServiceSource { get; init; }

    public string? ThreatFamilyName { get; init; }

    public string? ThreatName { get; init; }

    public string? ActorName { get; init; }

    public IReadOnlyList<string> MitreTechniques { get; init; } = [];

    public required DateTimeOffset CreatedTime { get; init; }

    public required DateTimeOffset LastUpdateTime { get; init; }

    public DateTimeOffset? ResolvedTime { get; init; }

    public required DateTimeOffset FirstActivity { get; init; }

    public required DateTimeOffset LastActivity { get; init; }

    /// <summary>The device the alert happened on, if any.</summary>
    public DeviceProfile? Device { get; init; }

    /// <summary>The device's machine tags (device-created and cloud-created), as Graph's device evidence lists them.</summary>
    public IReadOnlyList<string> MachineTags { get; init; } = [];

    public string? UserName { get; init; }

    public string? UserDomain { get; init; }

    public IReadOnlyList<EntityState> Evidence { get; init; } = [];

    public IReadOnlyList<IncidentComment> Comments { get; init; } = [];

    /// <summary>The detection rule's id: the same for every alert of one title.</summary>
    public Guid DetectorId => new DeterministicRandom(DeterministicRandom.Derive(0x0DE7EC7UL, Title)).NextGuid();
}
