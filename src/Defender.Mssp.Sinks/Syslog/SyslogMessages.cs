using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// Encodes a batch as RFC 5424 messages, each framed by octet counting (RFC 6587 §3.4.1, also RFC 5425's framing):
/// <c>{length} &lt;PRI&gt;1 {TIMESTAMP} {HOSTNAME} {APP-NAME} - {MSGID} {STRUCTURED-DATA} {MSG}</c>.
/// </summary>
/// <remarks>
/// TIMESTAMP is the record's last-update time, not the send time, so a re-delivered record is byte-for-byte the same
/// message; MSGID is the source; the structured data repeats the envelope's keys for collectors that do not parse
/// the body. MSG is CEF or JSON, UTF-8 without a byte order mark.
/// </remarks>
internal static class SyslogMessages
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="JsonException">A record's raw bytes are not one JSON value; nothing of the batch is sent.</exception>
    public static byte[] EncodeBatch(
        SyslogSinkOptions options, string hostname, string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Sum(record => record.Raw.Length + 512));
        foreach (var record in records)
        {
            var message = Utf8.GetBytes(Message(options, hostname, tenantId, source, record, receivedAt));
            buffer.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
            buffer.Write(message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string Message(SyslogSinkOptions options, string hostname, string tenantId, string source, DefenderRecord record, DateTimeOffset receivedAt)
    {
        using var document = JsonDocument.Parse(record.Raw);
        var root = document.RootElement;
        var key = IdempotencyKey.Compute(tenantId, source, record.Key);
        var priority = options.Facility * 8 + RecordSeverities.ToSyslog(RecordSeverities.Of(root));
        var body = options.Format == SyslogFormat.Cef
            ? CefMessage.Format(options, tenantId, source, record, root, key)
            : Json(tenantId, source, record, key, receivedAt);
        return string.Create(CultureInfo.InvariantCulture,
            $"<{priority}>1 {record.LastUpdateTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} {hostname} {options.AppName} - {Header(source, 32)} {StructuredData(options, tenantId, source, record.Id, key)} {body}");
    }

    /// <summary>An RFC 5424 header field: printable ASCII without spaces, at most <paramref name="maxLength"/>; "-" when nothing is left.</summary>
    public static string Header(string? value, int maxLength)
    {
        var text = new string((value ?? "").Where(c => c is > ' ' and <= '~').Take(maxLength).ToArray());
        return text.Length == 0 ? "-" : text;
    }

    private static string StructuredData(SyslogSinkOptions options, string tenantId, string source, string id, string key) =>
        string.IsNullOrEmpty(options.StructuredDataId)
            ? "-"
            : $"[{options.StructuredDataId} tenantId=\"{ParamValue(tenantId)}\" source=\"{ParamValue(source)}\" id=\"{ParamValue(id)}\" idempotencyKey=\"{key}\"]";

    /// <summary>RFC 5424 §6.3.3: '"', '\' and ']' in a PARAM-VALUE are escaped with a backslash.</summary>
    private static string ParamValue(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    private static string Json(string tenantId, string source, DefenderRecord record, string key, DateTimeOffset receivedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(record.Raw.Length + 320);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            EnvelopeJson.Write(writer, tenantId, source, record, key, receivedAt);
        }

        return Utf8.GetString(buffer.WrittenSpan);
    }
}
