namespace Defender.Mssp.TestKit.Sinks;

/// <summary>
/// One message as <see cref="RsyslogReceiver"/>'s rsyslogd received and parsed it: the raw message (without its
/// octet-count frame) and rsyslog's properties. <see cref="Version"/> is "1" only when rsyslog's RFC 5424 parser took
/// the message; a message it could not parse as RFC 5424 falls to the legacy parser and shows "0".
/// </summary>
public sealed record RsyslogMessage(
    string Raw, string Version, string Facility, string Severity, string Timestamp, string Hostname, string AppName,
    string ProcId, string MsgId, string StructuredData, string Msg);
