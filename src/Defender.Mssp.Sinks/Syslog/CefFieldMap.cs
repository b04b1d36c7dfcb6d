using Defender.Mssp.Sources;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// Which record fields fill a CEF event, per source: the signature id (the detection's kind), the name (its title)
/// and the CEF extension keys ArcSight has names for. Fields that are absent or empty are left out.
/// </summary>
internal sealed record CefFieldMap(
    IReadOnlyList<string> SignatureFields, string DefaultSignature, IReadOnlyList<string> NameFields,
    IReadOnlyList<CefExtension> Extensions)
{
    private static readonly CefFieldMap Siem = new(
        ["IoaDefinitionId", "Category"], "siem-alert", ["AlertTitle"],
        [
            new("cat", ["Category"]),
            new("dhost", ["ComputerDnsName"]),
            new("deviceExternalId", ["DeviceID"]),
            new("duser", ["UserName"]),
            new("src", ["IpAddress"]),
            new("fname", ["FileName"]),
            new("filePath", ["FilePath"]),
            new("fileHash", ["Sha1", "FileHash"]),
            new("request", ["LinkToWDATP", "LinkToMTP"]),
            new("msg", ["Description"]),
        ]);

    private static readonly CefFieldMap Incidents = new(
        [], "incident", ["incidentName"],
        [
            new("cs4", ["status"], "status"),
            new("request", ["incidentUri"]),
        ]);

    private static readonly CefFieldMap Alerts = new(
        ["detectorId", "category"], "alert", ["title"],
        [
            new("cat", ["category"]),
            new("dhost", ["computerDnsName"]),
            new("deviceExternalId", ["machineId"]),
            new("cs4", ["status"], "status"),
            new("msg", ["description"]),
        ]);

    private static readonly CefFieldMap GraphAlerts = new(
        ["detectorId", "category"], "alert", ["title"],
        [
            new("cat", ["category"]),
            new("cs4", ["status"], "status"),
            new("request", ["alertWebUrl"]),
            new("msg", ["description"]),
        ]);

    private static readonly CefFieldMap GraphIncidents = new(
        [], "incident", ["displayName"],
        [
            new("cs4", ["status"], "status"),
            new("request", ["incidentWebUrl"]),
            new("msg", ["description"]),
        ]);

    public static CefFieldMap For(string source) => source switch
    {
        DefenderSources.Siem => Siem,
        DefenderSources.Incidents => Incidents,
        DefenderSources.Alerts => Alerts,
        DefenderSources.GraphAlerts => GraphAlerts,
        DefenderSources.GraphIncidents => GraphIncidents,
        _ => new CefFieldMap([], source, ["title", "displayName", "incidentName", "AlertTitle"], []),
    };
}

/// <summary>A CEF extension key filled from the first non-empty of <paramref name="Fields"/>; a custom field (cs4) names itself with <paramref name="Label"/>.</summary>
internal sealed record CefExtension(string Key, string[] Fields, string? Label = null);
