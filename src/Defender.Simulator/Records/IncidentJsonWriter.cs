using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// Writes an incident version in the shape of the Microsoft 365 Defender "List incidents" response (field names and
/// order as in the public documentation's example).
/// </summary>
internal static class IncidentJsonWriter
{
    public static void Write(Utf8JsonWriter writer, TenantProfile profile, IncidentState incident)
    {
        writer.WriteStartObject();
        writer.WriteNumber("incidentId", incident.IncidentId);
        writer.WriteString("incidentUri", $"https://security.microsoft.com/incidents/{incident.IncidentId}?tid={profile.TenantId}");
        EntityJson.WriteNumberOrNull(writer, "redirectIncidentId", incident.RedirectIncidentId);
        writer.WriteString("incidentName", incident.IncidentName);
        RecordTime.Write(writer, "createdTime", incident.CreatedTime);
        RecordTime.Write(writer, "lastUpdateTime", incident.LastUpdateTime);
        writer.WriteString("assignedTo", incident.AssignedTo);
        writer.WriteString("classification", incident.Classification);
        writer.WriteString("determination", incident.Determination);
        writer.WriteString("status", incident.Status);
        writer.WriteString("severity", incident.Severity);
        writer.WriteStartArray("tags");
        foreach (var tag in incident.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("comments");
        foreach (var comment in incident.Comments)
        {
            writer.WriteStartObject();
            writer.WriteString("comment", comment.Comment);
            writer.WriteString("createdBy", comment.CreatedBy);
            RecordTime.Write(writer, "createdTime", comment.CreatedTime);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("alerts");
        foreach (var alert in incident.Alerts)
        {
            WriteAlert(writer, incident, alert);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteAlert(Utf8JsonWriter writer, IncidentState incident, AlertState alert)
    {
        var template = alert.Template;
        writer.WriteStartObject();
        writer.WriteString("alertId", alert.AlertId);
        writer.WriteNumber("incidentId", incident.IncidentId);
        writer.WriteString("serviceSource", template.ServiceSource);
        RecordTime.Write(writer, "creationTime", alert.CreationTime);
        RecordTime.Write(writer, "lastUpdatedTime", alert.LastUpdatedTime);
        RecordTime.Write(writer, "resolvedTime", alert.ResolvedTime);
        RecordTime.Write(writer, "firstActivity", alert.FirstActivity);
        RecordTime.Write(writer, "lastActivity", alert.LastActivity);
        writer.WriteString("title", template.Title);
        writer.WriteString("description", template.Description);
        writer.WriteString("category", template.Category);
        writer.WriteString("status", alert.Status);
        writer.WriteString("severity", template.Severity);
        EntityJson.WriteNumberOrNull(writer, "investigationId", alert.InvestigationId);
        writer.WriteString("investigationState", alert.InvestigationState);
        writer.WriteString("classification", alert.Classification);
        writer.WriteString("determination", alert.Determination);
        writer.WriteString("detectionSource", template.DetectionSource);
        writer.WriteString("assignedTo", alert.AssignedTo);
        writer.WriteString("actorName", template.ActorName);
        writer.WriteString("threatFamilyName", template.ThreatFamilyName);
        writer.WriteStartArray("mitreTechniques");
        foreach (var technique in template.MitreTechniques)
        {
            writer.WriteStringValue(technique);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("devices");
        if (alert.Device is { } device)
        {
            WriteDevice(writer, device);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("entities");
        foreach (var entity in alert.Entities)
        {
            WriteEntity(writer, entity);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteDevice(Utf8JsonWriter writer, DeviceProfile device)
    {
        writer.WriteStartObject();
        writer.WriteString("mdatpDeviceId", device.DeviceId);
        writer.WriteString("aadDeviceId", device.AadDeviceId?.ToString());
        writer.WriteString("deviceDnsName", device.DnsName);
        writer.WriteString("osPlatform", device.OsPlatform);
        writer.WriteString("version", device.OsVersion);
        writer.WriteString("osProcessor", "x64");
        writer.WriteNumber("osBuild", device.OsBuild);
        writer.WriteString("healthStatus", "Active");
        writer.WriteString("riskScore", device.RiskScore);
        writer.WriteString("rbacGroupName", device.MachineGroup);
        writer.WriteNumber("rbacGroupId", device.RbacGroupId);
        RecordTime.Write(writer, "firstSeen", device.FirstSeen);
        writer.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter writer, EntityState entity)
    {
        writer.WriteStartObject();
        writer.WriteString("entityType", entity.Kind.ToString());
        EntityJson.WriteFields(writer, entity, EntityFactory.FieldNames);
        writer.WriteEndObject();
    }
}
