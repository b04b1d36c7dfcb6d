using System.Globalization;
using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// Writes an alert in the shape of Microsoft Graph's <c>microsoft.graph.security.alert</c> (alerts_v2): string ids,
/// camelCase enums, <c>...DateTime</c> names, and typed evidence (device evidence carries the machine tags).
/// </summary>
internal static class GraphAlertJsonWriter
{
    public static void Write(Utf8JsonWriter writer, TenantProfile profile, AlertContent alert)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#microsoft.graph.security.alert");
        writer.WriteString("id", alert.Id);
        writer.WriteString("providerAlertId", alert.Id);
        writer.WriteString("incidentId", alert.IncidentId?.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("status", AlertNames.GraphEnum(alert.Status));
        writer.WriteString("severity", AlertNames.GraphEnum(alert.Severity));
        writer.WriteString("classification", AlertNames.GraphEnum(alert.Classification));
        writer.WriteString("determination", AlertNames.GraphEnum(alert.Determination));
        writer.WriteString("serviceSource", AlertNames.GraphServiceSource(alert.ServiceSource));
        writer.WriteString("detectionSource", AlertNames.GraphDetectionSource(alert.DetectionSource));
        writer.WriteString("detectorId", alert.DetectorId.ToString());
        writer.WriteString("tenantId", profile.TenantId.ToString());
        writer.WriteString("title", alert.Title);
        writer.WriteString("description", alert.Description);
        writer.WriteString("recommendedActions", "Review the evidence and contain the affected device or account.");
        writer.WriteString("category", alert.Category);
        writer.WriteString("assignedTo", alert.AssignedTo);
        writer.WriteString("alertWebUrl", $"https://security.microsoft.com/alerts/{alert.Id}?tid={profile.TenantId}");
        writer.WriteString("incidentWebUrl", alert.IncidentId is { } incident
            ? $"https://security.microsoft.com/incidents/{incident}?tid={profile.TenantId}"
            : null);
        writer.WriteString("actorDisplayName", alert.ActorName);
        writer.WriteString("threatDisplayName", alert.ThreatName);
        writer.WriteString("threatFamilyName", alert.ThreatFamilyName);
        writer.WriteStartArray("mitreTechniques");
        foreach (var technique in alert.MitreTechniques)
        {
            writer.WriteStringValue(technique);
        }

        writer.WriteEndArray();
        RecordTime.Write(writer, "createdDateTime", alert.CreatedTime);
        RecordTime.Write(writer, "lastUpdateDateTime", alert.LastUpdateTime);
        RecordTime.Write(writer, "resolvedDateTime", alert.ResolvedTime);
        RecordTime.Write(writer, "firstActivityDateTime", alert.FirstActivity);
        RecordTime.Write(writer, "lastActivityDateTime", alert.LastActivity);
        writer.WriteStartArray("comments");
        foreach (var comment in alert.Comments)
        {
            writer.WriteStartObject();
            writer.WriteString("comment", comment.Comment);
            writer.WriteString("createdByDisplayName", comment.CreatedBy);
            RecordTime.Write(writer, "createdDateTime", comment.CreatedTime);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("evidence");
        if (alert.Device is { } device)
        {
            WriteDevice(writer, alert, device);
        }

        foreach (var entity in alert.Evidence)
        {
            WriteEvidence(writer, alert, entity);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("systemTags");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteDevice(Utf8JsonWriter writer, AlertContent alert, DeviceProfile device)
    {
        StartEvidence(writer, "deviceEvidence", alert, "suspicious");
        writer.WriteStartArray("tags");
        foreach (var tag in alert.MachineTags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        RecordTime.Write(writer, "firstSeenDateTime", device.FirstSeen);
        writer.WriteString("mdeDeviceId", device.DeviceId);
        writer.WriteString("azureAdDeviceId", device.AadDeviceId?.ToString());
        writer.WriteString("deviceDnsName", device.DnsName);
        writer.WriteString("osPlatform", device.OsPlatform);
        writer.WriteNumber("osBuild", device.OsBuild);
        writer.WriteString("version", device.OsVersion);
        writer.WriteString("healthStatus", "active");
        writer.WriteString("riskScore", AlertNames.GraphEnum(device.RiskScore));
        writer.WriteNumber("rbacGroupId", device.RbacGroupId);
        writer.WriteString("rbacGroupName", device.MachineGroup);
        writer.WriteString("onboardingStatus", "onboarded");
        writer.WriteString("defenderAvStatus", "updated");
        writer.WriteStartArray("loggedOnUsers");
        if (alert.UserName is { } user)
        {
            writer.WriteStartObject();
            writer.WriteString("accountName", user);
            writer.WriteString("domainName", alert.UserDomain);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("ipInterfaces");
        writer.WriteStringValue(device.InternalIPv4);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEvidence(Utf8JsonWriter writer, AlertContent alert, EntityState entity)
    {
        var f = entity.Fields;
        switch (entity.Kind)
        {
            case EntityKind.User:
                StartEvidence(writer, "userEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                WriteUserAccount(writer, "userAccount", f);
                break;
            case EntityKind.Ip:
                StartEvidence(writer, "ipEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("ipAddress", f.GetValueOrDefault("ipAddress") as string);
                writer.WriteNull("countryLetterCode");
                break;
            case EntityKind.Url:
                StartEvidence(writer, "urlEvidence", alert, "malicious");
                WriteEmptyTags(writer);
                writer.WriteString("url", f.GetValueOrDefault("url") as string);
                break;
            case EntityKind.File:
                StartEvidence(writer, "fileEvidence", alert, "malicious");
                WriteEmptyTags(writer);
                writer.WriteString("detectionStatus", "detected");
                writer.WriteString("mdeDeviceId", f.GetValueOrDefault("deviceId") as string);
                WriteFileDetails(writer, "fileDetails", f);
                break;
            case EntityKind.Process:
                StartEvidence(writer, "processEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("mdeDeviceId", f.GetValueOrDefault("deviceId") as string);
                WriteOptionalNumber(writer, "processId", f.GetValueOrDefault("processId"));
                writer.WriteString("processCommandLine", f.GetValueOrDefault("processCommandLine") as string);
                RecordTime.Write(writer, "processCreationDateTime", f.GetValueOrDefault("processCreationTime") as DateTimeOffset?);
                WriteOptionalNumber(writer, "parentProcessId", f.GetValueOrDefault("parentProcessId"));
                RecordTime.Write(writer, "parentProcessCreationDateTime", f.GetValueOrDefault("parentProcessCreationTime") as DateTimeOffset?);
                WriteFileDetails(writer, "imageFile", f);
                WriteUserAccount(writer, "userAccount", f);
                break;
            case EntityKind.MailBox:
                StartEvidence(writer, "mailboxEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("displayName", f.GetValueOrDefault("mailboxDisplayName") as string);
                writer.WriteString("primaryAddress", f.GetValueOrDefault("mailboxAddress") as string);
                WriteUserAccount(writer, "userAccount", f);
                break;
            case EntityKind.MailMessage:
                StartEvidence(writer, "analyzedMessageEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("subject", f.GetValueOrDefault("subject") as string);
                writer.WriteString("recipientEmailAddress", f.GetValueOrDefault("recipient") as string);
                writer.WriteString("deliveryAction", AlertNames.GraphEnum(f.GetValueOrDefault("deliveryAction") as string));
                writer.WriteStartObject("p1Sender");
                writer.WriteString("emailAddress", f.GetValueOrDefault("sender") as string);
                writer.WriteEndObject();
                break;
            case EntityKind.MailCluster:
                StartEvidence(writer, "mailClusterEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("clusterBy", f.GetValueOrDefault("clusterBy") as string);
                break;
            case EntityKind.Registry:
                StartEvidence(writer, "registryValueEvidence", alert, "suspicious");
                WriteEmptyTags(writer);
                writer.WriteString("mdeDeviceId", f.GetValueOrDefault("deviceId") as string);
                writer.WriteString("registryHive", f.GetValueOrDefault("registryHive") as string);
                writer.WriteString("registryKey", f.GetValueOrDefault("registryKey") as string);
                writer.WriteString("registryValueType", f.GetValueOrDefault("registryValueType") as string);
                writer.WriteString("registryValue", f.GetValueOrDefault("registryValue") as string);
                break;
            default:
                return;
        }

        writer.WriteEndObject();
    }

    /// <summary>Opens an evidence object with the properties every evidence type shares, tags excepted.</summary>
    private static void StartEvidence(Utf8JsonWriter writer, string type, AlertContent alert, string verdict)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#microsoft.graph.security." + type);
        RecordTime.Write(writer, "createdDateTime", alert.CreatedTime);
        writer.WriteString("verdict", verdict);
        writer.WriteString("remediationStatus", "none");
        writer.WriteNull("remediationStatusDetails");
        writer.WriteStartArray("roles");
        writer.WriteEndArray();
    }

    private static void WriteEmptyTags(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("tags");
        writer.WriteEndArray();
    }

    private static void WriteUserAccount(Utf8JsonWriter writer, string name, Dictionary<string, object?> f)
    {
        writer.WriteStartObject(name);
        writer.WriteString("accountName", f.GetValueOrDefault("accountName") as string);
        writer.WriteString("domainName", f.GetValueOrDefault("domainName") as string);
        writer.WriteString("userSid", f.GetValueOrDefault("userSid") as string);
        writer.WriteString("azureAdUserId", f.GetValueOrDefault("aadUserId") as string);
        writer.WriteString("userPrincipalName", f.GetValueOrDefault("userPrincipalName") as string);
        writer.WriteEndObject();
    }

    private static void WriteFileDetails(Utf8JsonWriter writer, string name, Dictionary<string, object?> f)
    {
        writer.WriteStartObject(name);
        writer.WriteString("sha1", f.GetValueOrDefault("sha1") as string);
        writer.WriteString("sha256", f.GetValueOrDefault("sha256") as string);
        writer.WriteString("fileName", f.GetValueOrDefault("fileName") as string);
        writer.WriteString("filePath", f.GetValueOrDefault("filePath") as string);
        writer.WriteEndObject();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter writer, string name, object? value)
    {
        if (value is int number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
