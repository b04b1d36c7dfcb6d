using System.Globalization;
using System.Text;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Tests;

/// <summary>Records for sink tests, among them SIEM alerts whose fields hold every character a format must escape.</summary>
internal static class TestRecords
{
    public const string Tenant = "5b0c2f1e-8a1d-4c3b-9f6e-2d7a4e1b3c90";
    public const string OtherTenant = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    public static readonly DateTimeOffset T0 = new(2026, 1, 5, 7, 30, 0, TimeSpan.Zero);

    /// <summary>A small record: <c>{"id":…,"lastUpdateTime":…,"note":…}</c>.</summary>
    public static DefenderRecord Simple(string id, DateTimeOffset? time = null, string note = "")
    {
        var at = time ?? T0;
        return new DefenderRecord(id, at, Json(new Dictionary<string, object?> { ["id"] = id, ["lastUpdateTime"] = at.ToString("O", CultureInfo.InvariantCulture), ["note"] = note }));
    }

    public static DefenderRecord[] Simple(int count, string prefix = "r") =>
        Enumerable.Range(1, count).Select(i => Simple($"{prefix}{i}", T0.AddSeconds(i))).ToArray();

    /// <summary>A SIEM API alert shaped like seed document 003's sample, with the given title, path and description.</summary>
    public static DefenderRecord SiemAlert(
        string alertId, DateTimeOffset lastProcessed, string title = "Suspicious File Activity", string filePath = @"C:\WINDOWS\SysWOW64\boo3\qwerty",
        string description = "Test Alert", string severity = "High", string category = "Malware")
    {
        var fields = new Dictionary<string, object?>
        {
            ["AlertTime"] = "2020-09-30T14:09:20.35743Z",
            ["ComputerDnsName"] = "mymachine1.domain.com",
            ["AlertTitle"] = title,
            ["Category"] = category,
            ["Severity"] = severity,
            ["AlertId"] = alertId,
            ["Actor"] = "",
            ["LinkToWDATP"] = $"https://securitycenter.windows.com/alert/{alertId}",
            ["Sha1"] = "aabbccddee1122334455aabbccddee1122334455",
            ["FileName"] = "cmdParent.exe",
            ["FilePath"] = filePath,
            ["IoaDefinitionId"] = "b20af1d2-5990-4672-87f1-acc2a8ff7725",
            ["AlertPart"] = 0,
            ["LastProcessedTimeUtc"] = lastProcessed.ToString("O", CultureInfo.InvariantCulture),
            ["RemediationIsSuccess"] = null,
            ["Source"] = "EDR",
            ["MachineGroup"] = "",
            ["DeviceID"] = "deadbeef000040830ee54503926f556dcaf82bb0",
            ["Description"] = description,
            ["ReportID"] = 1053729833,
            ["UserName"] = "",
        };
        return new DefenderRecord(alertId, lastProcessed, Json(fields));
    }

    /// <summary>An alert whose title, path, category and description hold pipes, equals signs, backslashes, quotes, commas and line breaks.</summary>
    public static DefenderRecord HostileSiemAlert(string alertId, DateTimeOffset lastProcessed) => SiemAlert(
        alertId, lastProcessed,
        title: "Mimikatz | credential=theft \\ by \"admin\", again\nsecond line",
        filePath: @"C:\Users\a|b\c=d\run.ps1",
        description: "first line\nsecond=line | pipe\r\nthird \\ backslash, \"quoted\" and a trailing backslash \\",
        category: "Credential|Access=yes");

    private static byte[] Json(Dictionary<string, object?> fields) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(fields));
}
