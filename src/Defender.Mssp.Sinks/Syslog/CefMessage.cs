using System.Globalization;
using System.Text;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// Formats a record as one CEF event:
/// <c>CEF:0|{vendor}|{product}|{version}|{signature id}|{name}|{severity}|{extensions}</c>. The extensions always
/// carry the record id (<c>externalId</c>), its last-update time (<c>rt</c>, epoch milliseconds) and, as labelled
/// custom strings, the idempotency key (<c>cs1</c>), tenant id (<c>cs2</c>) and source (<c>cs3</c>); then the fields
/// of <see cref="CefFieldMap"/>.
/// </summary>
internal static class CefMessage
{
    public static string Format(SyslogSinkOptions options, string tenantId, string source, DefenderRecord record, JsonElement root, string idempotencyKey)
    {
        var map = CefFieldMap.For(source);
        var signature = RecordFields.FirstText(root, map.SignatureFields) ?? map.DefaultSignature;
        var name = RecordFields.FirstText(root, map.NameFields) ?? record.Id;
        var severity = RecordSeverities.ToCef(RecordSeverities.Of(root));

        var text = new StringBuilder(512);
        text.Append("CEF:0|")
            .Append(CefEscaping.Header(options.CefDeviceVendor)).Append('|')
            .Append(CefEscaping.Header(options.CefDeviceProduct)).Append('|')
            .Append(CefEscaping.Header(options.CefDeviceVersion)).Append('|')
            .Append(CefEscaping.Header(signature)).Append('|')
            .Append(CefEscaping.Header(name)).Append('|')
            .Append(severity.ToString(CultureInfo.InvariantCulture)).Append('|');

        var first = true;
        void Add(string key, string? value)
        {
            if (string.IsNullOrEmpty(value))
            {
                return;
            }

            if (!first)
            {
                text.Append(' ');
            }

            first = false;
            text.Append(key).Append('=').Append(CefEscaping.ExtensionValue(value));
        }

        Add("externalId", record.Id);
        Add("rt", record.LastUpdateTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Add("cs1Label", "idempotencyKey");
        Add("cs1", idempotencyKey);
        Add("cs2Label", "tenantId");
        Add("cs2", tenantId);
        Add("cs3Label", "source");
        Add("cs3", source);
        foreach (var extension in map.Extensions)
        {
            var value = RecordFields.FirstText(root, extension.Fields);
            if (extension.Label is not null && !string.IsNullOrEmpty(value))
            {
                Add(extension.Key + "Label", extension.Label);
            }

            Add(extension.Key, value);
        }

        if (options.CefIncludeRecord)
        {
            Add("cs6Label", "record");
            Add("cs6", root.GetRawText().ReplaceLineEndings(""));
        }

        return text.ToString();
    }
}
