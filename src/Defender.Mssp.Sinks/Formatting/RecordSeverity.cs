using System.Text.Json;

namespace Defender.Mssp.Sinks;

/// <summary>
/// A record's severity as Defender reports it (<c>Severity</c> in the SIEM API, <c>severity</c> elsewhere:
/// Informational, Low, Medium, High; Graph writes them in lower case), mapped onto the scales sinks speak.
/// </summary>
public enum RecordSeverity
{
    /// <summary>Absent, <c>UnSpecified</c>, <c>unknown</c> or a value this version does not know.</summary>
    Unknown,
    Informational,
    Low,
    Medium,
    High,
}

/// <summary>Reads <see cref="RecordSeverity"/> from a record and maps it to CEF and syslog severities.</summary>
public static class RecordSeverities
{
    /// <summary>The record's severity field, case-insensitive in name and value.</summary>
    public static RecordSeverity Of(JsonElement record) =>
        RecordFields.Text(record, "severity")?.Trim().ToUpperInvariant() switch
        {
            "INFORMATIONAL" or "INFO" => RecordSeverity.Informational,
            "LOW" => RecordSeverity.Low,
            "MEDIUM" => RecordSeverity.Medium,
            "HIGH" => RecordSeverity.High,
            _ => RecordSeverity.Unknown,
        };

    /// <summary>
    /// CEF's 0–10 scale, in ArcSight's bands (0–3 low, 4–6 medium, 7–8 high, 9–10 very high). Unknown is medium, so
    /// a record whose severity is missing is neither dropped by a low-severity filter nor paged as urgent.
    /// </summary>
    public static int ToCef(RecordSeverity severity) => severity switch
    {
        RecordSeverity.Informational => 1,
        RecordSeverity.Low => 3,
        RecordSeverity.Medium => 5,
        RecordSeverity.High => 8,
        _ => 5,
    };

    /// <summary>RFC 5424 severity: High → 2 critical, Medium → 4 warning, Low → 5 notice, Informational → 6, unknown → 5.</summary>
    public static int ToSyslog(RecordSeverity severity) => severity switch
    {
        RecordSeverity.Informational => 6,
        RecordSeverity.Low => 5,
        RecordSeverity.Medium => 4,
        RecordSeverity.High => 2,
        _ => 5,
    };
}
