using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// Writes an alert in the shape of the Defender for Endpoint "List alerts" response (public "Alert resource type"):
/// PascalCase enums, a numeric incidentId, the machine's id and DNS name, and <c>evidence</c> only when the caller
/// asked for it with <c>$expand=evidence</c>.
/// </summary>
internal static class EndpointAlertJsonWriter
{
    /// <summary>Evidence fields in the order the API writes them; fields an entity does not carry are null.</summary>
    private static readonly string[] EvidenceFields =
    [
        "sha1", "sha256", "fileName", "filePath", "processId", "processCommandLine", "processCreationTime", "parentProcessId",
        "parentProcessCreationTime", "parentProcessFileName", "parentProcessFilePath", "ipAddress", "url", "registryKey",
        "registryHive", "registryValueType", "registryValue", "accountName", "domainName", "userSid", "aadUserId",
        "userPrincipalName", "detectionStatus",
    ];

    public static void Write(Utf8JsonWriter writer, TenantProfile profile, AlertContent alert, bool withEvidence)
    {
        writer.WriteStartObject();
        writer.WriteString("id", alert.Id);
        EntityJson.WriteNumberOrNull(writer, "incidentId", alert.IncidentId);
        EntityJson.WriteNumberOrNull(writer, "investigationId", alert.InvestigationId);
        writer.WriteString("assignedTo", alert.AssignedTo);
        writer.WriteString("severity", alert.Severity);
        writer.WriteString("status", alert.Status);
        writer.WriteString("classification", alert.Classification);
        writer.WriteString("determination", alert.Determination);
        writer.WriteString("investigationState", alert.InvestigationState);
        writer.WriteString("detectionSource", alert.DetectionSource);
        writer.WriteString("detectorId", alert.DetectorId.ToString());
        writer.WriteString("category", alert.Category);
        writer.WriteString("threatFamilyName", alert.ThreatFamilyName);
        writer.WriteString("title", alert.Title);
        writer.WriteString("description", alert.Description);
        RecordTime.Write(writer, "alertCreationTime", alert.CreatedTime);
        RecordTime.Write(writer, "firstEventTime", alert.FirstActivity);
        RecordTime.Write(writer, "lastEventTime", alert.LastActivity);
        RecordTime.Write(writer, "lastUpdateTime", alert.LastUpdateTime);
        RecordTime.Write(writer, "resolvedTime", alert.ResolvedTime);
        writer.WriteString("machineId", alert.Device?.DeviceId);
        writer.WriteString("computerDnsName", alert.Device?.DnsName);
        writer.WriteString("rbacGroupName", alert.Device?.MachineGroup);
        writer.WriteString("aadTenantId", profile.TenantId.ToString());
        writer.WriteString("threatName", alert.ThreatName);
        writer.WriteStartArray("mitreTechniques");
        foreach (var technique in alert.MitreTechniques)
        {
            writer.WriteStringValue(technique);
        }

        writer.WriteEndArray();
        if (alert.UserName is { } user)
        {
            writer.WriteStartObject("relatedUser");
            writer.WriteString("userName", user);
            writer.WriteString("domainName", alert.UserDomain);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("relatedUser");
        }

        writer.WriteStartArray("loggedOnUsers");
        if (alert.UserName is { } loggedOn)
        {
            writer.WriteStartObject();
            writer.WriteString("accountName", loggedOn);
            writer.WriteString("domainName", alert.UserDomain);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("comments");
        foreach (var comment in alert.Comments)
        {
            writer.WriteStartObject();
            writer.WriteString("comment", comment.Comment);
            writer.WriteString("createdBy", comment.CreatedBy);
            RecordTime.Write(writer, "createdTime", comment.CreatedTime);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (withEvidence)
        {
            writer.WriteStartArray("evidence");
            foreach (var entity in alert.Evidence)
            {
                WriteEvidence(writer, entity, alert.CreatedTime);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("domains");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEvidence(Utf8JsonWriter writer, EntityState entity, DateTimeOffset created)
    {
        writer.WriteStartObject();
        writer.WriteString("entityType", entity.Kind.ToString());
        RecordTime.Write(writer, "evidenceCreationTime", created);
        EntityJson.WriteFields(writer, entity, EvidenceFields);
        writer.WriteEndObject();
    }
}
