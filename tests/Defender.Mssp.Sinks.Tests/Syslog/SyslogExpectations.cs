using System.Text.Json;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>Records for syslog tests and what a collector must see of each, written down independently of the sink.</summary>
internal static class SyslogExpectations
{
    public const string Hostname = "mssp-test";
    public const string Source = DefenderSources.Siem;

    /// <summary>Defender's severity → (syslog severity, CEF severity): High critical/8, Medium warning/5, Low notice/3, Informational 6/1, else notice/5.</summary>
    public static (int Syslog, int Cef) Severity(string? defenderSeverity) => defenderSeverity switch
    {
        "High" => (2, 8),
        "Medium" => (4, 5),
        "Low" => (5, 3),
        "Informational" => (6, 1),
        _ => (5, 5),
    };

    private static readonly string[] Severities = ["High", "Medium", "Low", "Informational", "UnSpecified"];

    /// <summary>A hostile alert first, then <paramref name="count"/> ordinary ones cycling through the severities.</summary>
    public static DefenderRecord[] Alerts(int count, string prefix) =>
    [
        TestRecords.HostileSiemAlert($"{prefix}-hostile", TestRecords.T0),
        .. Enumerable.Range(1, count).Select(i => TestRecords.SiemAlert(
            $"{prefix}-{i:D3}", TestRecords.T0.AddSeconds(i), title: $"Alert {i} = {Severities[i % Severities.Length]}",
            severity: Severities[i % Severities.Length])),
    ];

    public static SyslogSinkOptions Options(int port, SyslogFormat format) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Format = format,
        Hostname = Hostname,
        RetryBaseDelay = TimeSpan.Zero,
        MaxRetryAttempts = 1,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Checks one received message (its RFC 5424 text) against the record it must carry, with a CEF body.</summary>
    public static void AssertCefMessage(string raw, string tenantId, DefenderRecord record)
    {
        using var document = JsonDocument.Parse(record.Raw);
        var fields = document.RootElement;
        var key = IdempotencyKey.Compute(tenantId, Source, record.Key);
        var severity = Severity(fields.GetProperty("Severity").GetString());

        var message = Rfc5424Message.Parse(raw);
        Assert.Equal((16, severity.Syslog), (message.Facility, message.Severity));
        Assert.Equal((Hostname, "defender-mssp", Source), (message.Hostname, message.AppName, message.MsgId));
        Assert.Equal(record.LastUpdateTime, message.Timestamp);
        var data = message.StructuredData["defender@32473"];
        Assert.Equal((tenantId, Source, record.Id, key), (data["tenantId"], data["source"], data["id"], data["idempotencyKey"]));

        var cef = CefEvent.Parse(message.Msg);
        Assert.Equal(("0", "Microsoft", "Defender", "1.0"), (cef.Version, cef.Vendor, cef.Product, cef.DeviceVersion));
        Assert.Equal(fields.GetProperty("IoaDefinitionId").GetString(), cef.SignatureId);
        // Line breaks are not allowed in the header: they become spaces; pipes and backslashes come back as they were.
        Assert.Equal(fields.GetProperty("AlertTitle").GetString()!.Replace('\r', ' ').Replace('\n', ' '), cef.Name);
        Assert.Equal(severity.Cef.ToString(System.Globalization.CultureInfo.InvariantCulture), cef.Severity);

        var extensions = cef.Extensions;
        Assert.Equal(record.Id, extensions["externalId"]);
        Assert.Equal(("idempotencyKey", key), (extensions["cs1Label"], extensions["cs1"]));
        Assert.Equal(("tenantId", tenantId), (extensions["cs2Label"], extensions["cs2"]));
        Assert.Equal(("source", Source), (extensions["cs3Label"], extensions["cs3"]));
        Assert.Equal(record.LastUpdateTime.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), extensions["rt"]);
        // Extension values keep everything, line breaks included.
        Assert.Equal(fields.GetProperty("Description").GetString(), extensions["msg"]);
        Assert.Equal(fields.GetProperty("FilePath").GetString(), extensions["filePath"]);
        Assert.Equal(fields.GetProperty("Category").GetString(), extensions["cat"]);
        Assert.Equal(fields.GetProperty("ComputerDnsName").GetString(), extensions["dhost"]);
        Assert.Equal(fields.GetProperty("Sha1").GetString(), extensions["fileHash"]);
    }
}
