using System.Buffers;
using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// An alert's facts as its SIEM records state them. The alerts APIs render SIEM-exported alerts from these, applying
/// Microsoft's SIEM-to-Graph field map (AlertId → id, LastProcessedTimeUtc → lastActivityDateTime, machine tags →
/// the device evidence's tags) to the very records the SIEM API serves, so the two can never drift apart.
/// </summary>
/// <param name="IpAddresses">Per detection (in processing order), the IP indicator it reported, or empty.</param>
internal sealed record DetectionFacts(
    DateTimeOffset AlertTime,
    string Title,
    string Category,
    string Severity,
    string Source,
    string Description,
    string Sha1,
    string Md5,
    string FileName,
    string FilePath,
    string CommandLine,
    string UserName,
    string UserDomain,
    string ThreatFamily,
    string ThreatName,
    DeviceProfile Device,
    IReadOnlyList<string> MachineTags,
    IReadOnlyList<string> IpAddresses)
{
    public static DetectionFacts Read(TenantProfile profile, IReadOnlyList<SiemAlertPlan> detections)
    {
        var ips = new List<string>(detections.Count);
        JsonElement first = default;
        var documents = new List<JsonDocument>(detections.Count);
        try
        {
            foreach (var detection in detections)
            {
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, WireJson.Options))
                {
                    SiemAlertJsonWriter.Write(writer, profile, detection);
                }

                var document = JsonDocument.Parse(buffer.WrittenMemory);
                documents.Add(document);
                ips.Add(Text(document.RootElement, "IocValue"));
            }

            first = documents[0].RootElement;
            var device = profile.Devices[detections[0].DeviceIndex];
            return new DetectionFacts(
                detections[0].AlertTime,
                Text(first, "AlertTitle"),
                Text(first, "Category"),
                Text(first, "Severity"),
                Text(first, "Source"),
                Text(first, "Description"),
                Text(first, "Sha1"),
                Text(first, "Md5"),
                Text(first, "FileName"),
                Text(first, "FilePath"),
                Text(first, "CommandLine"),
                Text(first, "UserName"),
                Text(first, "UserDomain"),
                Text(first, "ThreatFamily"),
                Text(first, "ThreatName"),
                device,
                [.. Tags(Text(first, "DeviceCreatedMachineTags")), .. Tags(Text(first, "CloudCreatedMachineTags"))],
                ips);
        }
        finally
        {
            documents.ForEach(d => d.Dispose());
        }
    }

    private static string Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static IEnumerable<string> Tags(string tags) =>
        tags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
