using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>
/// Writes a SIEM detection with exactly the field set and order of seed 003's sample response.
/// </summary>
internal static class SiemAlertJsonWriter
{
    private sealed record Template(
        string Title, string Category, string Severity, string Source, string Description, string FileName, string FilePath,
        string ThreatCategory, string ThreatFamily, string ThreatName, string RemediationAction, string CommandLine);

    private static readonly Template[] Templates =
    [
        new("Suspicious File Activity", "Malware", "High", "EDR", "Test Alert", "cmdParent.exe", @"C:\WINDOWS\SysWOW64\boo3\qwerty", "", "", "", "", ""),
        new("'Mimikatz' hacktool was detected", "Malware", "Low", "WindowsDefenderAv", "A hacktool was detected and blocked.", "mimikatz.exe",
            @"C:\Users\Public\Tools", "HackTool", "Mimikatz", "HackTool:Win32/Mimikatz.D", "quarantine", ""),
        new("Suspicious PowerShell command line", "SuspiciousActivity", "Medium", "EDR", "A suspicious PowerShell activity was observed on the machine.",
            "powershell.exe", @"C:\Windows\System32\WindowsPowerShell\v1.0", "", "", "", "", "powershell.exe -NoP -W Hidden -Enc SQBFAFgA"),
        new("Ransomware behavior detected in the file system", "Ransomware", "High", "EDR", "Files were encrypted in bulk by a single process.",
            "svchost32.exe", @"C:\ProgramData\svc", "Ransom", "Ryuk", "Ransom:Win32/Ryuk.A", "remove", ""),
        new("Suspicious credential dump from NTDS.DIT", "CredentialAccess", "High", "EDR", "An attacker may have copied the Active Directory database.",
            "ntdsutil.exe", @"C:\Windows\System32", "", "", "", "", "ntdsutil \"ac i ntds\" \"ifm\" \"create full c:\\temp\" q q"),
        new("Connection to a custom network indicator", "CommandAndControl", "Medium", "CustomTI", "An endpoint connected to a URL the organization blocked.",
            "msedge.exe", @"C:\Program Files (x86)\Microsoft\Edge\Application", "", "", "", "", ""),
    ];

    public static void Write(Utf8JsonWriter writer, TenantProfile profile, SiemAlertPlan plan)
    {
        // Alert-level fields come from the alert seed so every detection of one alert agrees on them.
        var alert = new DeterministicRandom(DeterministicRandom.Derive(plan.AlertSeed, "siem-content"));
        var template = alert.Pick(Templates);
        var device = profile.Devices[plan.DeviceIndex];
        var user = alert.Pick(profile.Users);
        var sha1 = alert.NextHex(40);
        var md5 = alert.NextHex(32);
        var ioaDefinitionId = alert.NextGuid();
        var reportId = alert.NextInt64(100_000_000, 2_000_000_000);
        var externalId = alert.NextHex(40, upper: true);
        var alertId = SiemIds.AlertId(plan.AlertSeed, plan.AlertTime);
        var iocUniqueId = SiemIds.IocUniqueId(plan.AlertSeed, plan.Part);

        // Detection-level fields differ per part.
        var detection = new DeterministicRandom(DeterministicRandom.Derive(plan.AlertSeed, 0xD0UL + (ulong)plan.Part));
        var withIoc = template.Source == "CustomTI";
        var ip = withIoc ? $"{detection.Next(11, 223)}.{detection.Next(256)}.{detection.Next(256)}.{detection.Next(1, 255)}" : "";
        var executing = template.Source == "WindowsDefenderAv" ? (bool?)detection.Chance(0.5) : null;

        writer.WriteStartObject();
        RecordTime.Write(writer, "AlertTime", plan.AlertTime);
        writer.WriteString("ComputerDnsName", device.DnsName);
        writer.WriteString("AlertTitle", template.Title);
        writer.WriteString("Category", template.Category);
        writer.WriteString("Severity", template.Severity);
        writer.WriteString("AlertId", alertId);
        writer.WriteString("Actor", "");
        writer.WriteString("LinkToWDATP", "https://securitycenter.windows.com/alert/" + alertId);
        writer.WriteString("IocName", withIoc ? "IpAddress" : "");
        writer.WriteString("IocValue", ip);
        writer.WriteString("CreatorIocName", "");
        writer.WriteString("CreatorIocValue", "");
        writer.WriteString("Sha1", sha1);
        writer.WriteString("FileName", template.FileName);
        writer.WriteString("FilePath", template.FilePath);
        writer.WriteString("IpAddress", ip);
        writer.WriteString("Url", "");
        writer.WriteString("IoaDefinitionId", ioaDefinitionId.ToString());
        writer.WriteString("UserName", user);
        writer.WriteNumber("AlertPart", plan.Part);
        writer.WriteString("FullId", plan.FullId);
        RecordTime.Write(writer, "LastProcessedTimeUtc", plan.LastProcessedTime);
        writer.WriteString("ThreatCategory", template.ThreatCategory);
        writer.WriteString("ThreatFamily", template.ThreatFamily);
        writer.WriteString("ThreatName", template.ThreatName);
        writer.WriteString("RemediationAction", template.RemediationAction);
        if (template.RemediationAction.Length > 0)
        {
            writer.WriteBoolean("RemediationIsSuccess", true);
        }
        else
        {
            writer.WriteNull("RemediationIsSuccess");
        }

        writer.WriteString("Source", template.Source);
        writer.WriteString("Md5", md5);
        writer.WriteString("Sha256", "");
        if (executing is { } running)
        {
            writer.WriteBoolean("WasExecutingWhileDetected", running);
        }
        else
        {
            writer.WriteNull("WasExecutingWhileDetected");
        }

        writer.WriteString("UserDomain", profile.Domain.Split('.')[0]);
        writer.WriteString("LogOnUsers", profile.Domain.Split('.')[0] + "\\" + user);
        writer.WriteString("MachineDomain", profile.Domain);
        writer.WriteString("MachineName", device.MachineName);
        writer.WriteString("InternalIPv4List", device.InternalIPv4);
        writer.WriteString("InternalIPv6List", "");
        writer.WriteString("FileHash", sha1);
        writer.WriteString("DeviceID", device.DeviceId);
        writer.WriteString("MachineGroup", device.MachineGroup);
        writer.WriteString("Description", template.Description);
        writer.WriteString("DeviceCreatedMachineTags", device.DeviceCreatedMachineTags);
        writer.WriteString("CloudCreatedMachineTags", device.CloudCreatedMachineTags);
        writer.WriteString("CommandLine", template.CommandLine);
        writer.WriteString("IncidentLinkToWDATP", $"https://securitycenter.windows.com/incidents/byalert?alertId={alertId}&source=SIEM");
        writer.WriteNumber("ReportID", reportId);
        writer.WriteString("LinkToMTP", "https://security.microsoft.com/alert/" + alertId);
        writer.WriteString("IncidentLinkToMTP", $"https://security.microsoft.com/incidents/byalert?alertId={alertId}&source=SIEM");
        writer.WriteString("ExternalId", externalId);
        writer.WriteString("IocUniqueId", iocUniqueId);
        writer.WriteEndObject();
    }
}
