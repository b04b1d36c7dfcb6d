using Defender.Mssp.Sources;

namespace Defender.Mssp.Sinks.Csv;

/// <summary>
/// The stable column set of each source's CSV files: the envelope's fields first, then the source's top-level fields
/// (for <c>siem</c> the seed document's alert, in its order), then the record's whole JSON, so nothing is lost to the
/// flattening. Nested objects and arrays in a field column are written as compact JSON.
/// </summary>
/// <remarks>
/// A file's header is written once, when the file is created, and every row follows it. Changing a source's columns
/// therefore changes the file format: a version that does so must also start new file names.
/// </remarks>
public static class CsvSinkColumns
{
    public const string TenantId = "envelope.tenantId";
    public const string Source = "envelope.source";
    public const string Id = "envelope.id";
    public const string LastUpdateTime = "envelope.lastUpdateTime";
    public const string IdempotencyKey = "envelope.idempotencyKey";
    public const string ReceivedAt = "envelope.receivedAt";

    /// <summary>The last column: the record's JSON as served (on one line).</summary>
    public const string Record = "envelope.record";

    /// <summary>The envelope's columns, before the source's fields. Prefixed, since records have fields named <c>id</c> and <c>tenantId</c>.</summary>
    public static IReadOnlyList<string> EnvelopeColumns { get; } = [TenantId, Source, Id, LastUpdateTime, IdempotencyKey, ReceivedAt];

    /// <summary>The fields of the Defender for Endpoint SIEM API's alert, as seed document 003 shows it.</summary>
    public static IReadOnlyList<string> SiemFields { get; } =
    [
        "AlertTime", "ComputerDnsName", "AlertTitle", "Category", "Severity", "AlertId", "Actor", "LinkToWDATP",
        "IocName", "IocValue", "CreatorIocName", "CreatorIocValue", "Sha1", "FileName", "FilePath", "IpAddress", "Url",
        "IoaDefinitionId", "UserName", "AlertPart", "FullId", "LastProcessedTimeUtc", "ThreatCategory", "ThreatFamily",
        "ThreatName", "RemediationAction", "RemediationIsSuccess", "Source", "Md5", "Sha256", "WasExecutingWhileDetected",
        "UserDomain", "LogOnUsers", "MachineDomain", "MachineName", "InternalIPv4List", "InternalIPv6List", "FileHash",
        "DeviceID", "MachineGroup", "Description", "DeviceCreatedMachineTags", "CloudCreatedMachineTags", "CommandLine",
        "IncidentLinkToWDATP", "ReportID", "LinkToMTP", "IncidentLinkToMTP", "ExternalId", "IocUniqueId",
    ];

    /// <summary>Microsoft 365 Defender incidents (<c>/api/incidents</c>); the nested alerts stay in the record column.</summary>
    public static IReadOnlyList<string> IncidentFields { get; } =
    [
        "incidentId", "incidentUri", "redirectIncidentId", "incidentName", "createdTime", "lastUpdateTime", "assignedTo",
        "classification", "determination", "status", "severity", "tags",
    ];

    /// <summary>Defender for Endpoint alerts (<c>/api/alerts</c>); evidence stays in the record column.</summary>
    public static IReadOnlyList<string> AlertFields { get; } =
    [
        "id", "incidentId", "investigationId", "assignedTo", "severity", "status", "classification", "determination",
        "investigationState", "detectionSource", "detectorId", "category", "threatFamilyName", "title", "description",
        "alertCreationTime", "firstEventTime", "lastEventTime", "lastUpdateTime", "resolvedTime", "machineId",
        "computerDnsName", "rbacGroupName", "aadTenantId", "threatName", "mitreTechniques", "relatedUser",
    ];

    /// <summary>Microsoft Graph <c>security/alerts_v2</c>; evidence stays in the record column.</summary>
    public static IReadOnlyList<string> GraphAlertFields { get; } =
    [
        "id", "providerAlertId", "incidentId", "status", "severity", "classification", "determination", "serviceSource",
        "detectionSource", "detectorId", "tenantId", "title", "description", "recommendedActions", "category", "assignedTo",
        "alertWebUrl", "incidentWebUrl", "actorDisplayName", "threatDisplayName", "threatFamilyName", "mitreTechniques",
        "createdDateTime", "lastUpdateDateTime", "resolvedDateTime", "firstActivityDateTime", "lastActivityDateTime",
    ];

    /// <summary>Microsoft Graph <c>security/incidents</c>; expanded alerts stay in the record column.</summary>
    public static IReadOnlyList<string> GraphIncidentFields { get; } =
    [
        "id", "tenantId", "displayName", "status", "severity", "classification", "determination", "assignedTo",
        "incidentWebUrl", "redirectIncidentId", "customTags", "description", "createdDateTime", "lastUpdateDateTime",
    ];

    /// <summary>The record fields a source's files have columns for; none for a source this version does not know.</summary>
    public static IReadOnlyList<string> FieldsOf(string source) => source switch
    {
        DefenderSources.Siem => SiemFields,
        DefenderSources.Incidents => IncidentFields,
        DefenderSources.Alerts => AlertFields,
        DefenderSources.GraphAlerts => GraphAlertFields,
        DefenderSources.GraphIncidents => GraphIncidentFields,
        _ => [],
    };

    /// <summary>The header of a source's files: envelope columns, the source's fields, the record.</summary>
    public static IReadOnlyList<string> HeaderOf(string source) => [.. EnvelopeColumns, .. FieldsOf(source), Record];
}
