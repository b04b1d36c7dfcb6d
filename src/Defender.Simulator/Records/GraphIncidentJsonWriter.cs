using System.Globalization;
using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// Writes an incident version in the shape of Microsoft Graph's <c>microsoft.graph.security.incident</c>: the same
/// incident the incidents API serves, with string ids, camelCase enums and, under <c>$expand=alerts</c>, its alerts
/// as <c>alerts_v2</c> describes them.
/// </summary>
internal static class GraphIncidentJsonWriter
{
    public static void Write(Utf8JsonWriter writer, TenantProfile profile, IncidentState incident, IReadOnlyList<AlertContent>? alerts)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#microsoft.graph.security.incident");
        writer.WriteString("id", incident.IncidentId.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("tenantId", profile.TenantId.ToString());
        writer.WriteString("status", AlertNames.GraphIncidentStatus(incident.Status));
        writer.WriteString("incidentWebUrl", $"https://security.microsoft.com/incidents/{incident.IncidentId}?tid={profile.TenantId}");
        writer.WriteString("redirectIncidentId", incident.RedirectIncidentId?.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("displayName", incident.IncidentName);
        RecordTime.Write(writer, "createdDateTime", incident.CreatedTime);
        RecordTime.Write(writer, "lastUpdateDateTime", incident.LastUpdateTime);
        writer.WriteString("assignedTo", incident.AssignedTo);
        writer.WriteString("classification", AlertNames.GraphEnum(incident.Classification));
        writer.WriteString("determination", AlertNames.GraphEnum(incident.Determination));
        writer.WriteString("severity", AlertNames.GraphEnum(incident.Severity));
        writer.WriteStartArray("customTags");
        foreach (var tag in incident.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("systemTags");
        writer.WriteEndArray();
        writer.WriteNull("description");
        writer.WriteNull("summary");
        writer.WriteStartArray("comments");
        foreach (var comment in incident.Comments)
        {
            writer.WriteStartObject();
            writer.WriteString("comment", comment.Comment);
            writer.WriteString("createdByDisplayName", comment.CreatedBy);
            RecordTime.Write(writer, "createdDateTime", comment.CreatedTime);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (alerts is not null)
        {
            writer.WriteStartArray("alerts");
            foreach (var alert in alerts)
            {
                GraphAlertJsonWriter.Write(writer, profile, alert);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
