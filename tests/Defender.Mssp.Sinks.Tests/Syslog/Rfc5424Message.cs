using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>An RFC 5424 message parsed by its ABNF (§6): header fields, structured data elements and MSG.</summary>
internal sealed partial record Rfc5424Message(
    int Facility, int Severity, DateTimeOffset Timestamp, string Hostname, string AppName, string ProcId, string MsgId,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> StructuredData, string Msg)
{
    public static Rfc5424Message Parse(string text)
    {
        var header = Header().Match(text);
        Assert.True(header.Success, $"Not an RFC 5424 header: {text}");
        var priority = int.Parse(header.Groups["pri"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(priority, 0, 191);
        var timestamp = DateTimeOffset.Parse(header.Groups["ts"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

        var rest = text[header.Length..];
        var elements = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        int end;
        if (rest.StartsWith('-'))
        {
            end = 1;
        }
        else
        {
            end = 0;
            while (end < rest.Length && rest[end] == '[')
            {
                end = Element(rest, end, elements);
            }

            Assert.True(elements.Count > 0, $"No STRUCTURED-DATA: {text}");
        }

        Assert.True(end == rest.Length || rest[end] == ' ', $"MSG is separated by a space: {text}");
        var msg = end == rest.Length ? "" : rest[(end + 1)..];
        return new Rfc5424Message(priority / 8, priority % 8, timestamp, header.Groups["host"].Value, header.Groups["app"].Value,
            header.Groups["proc"].Value, header.Groups["msgid"].Value, elements, msg);
    }

    /// <summary>Parses <c>[SD-ID PARAM-NAME="PARAM-VALUE" …]</c> at <paramref name="at"/>; returns the index after it.</summary>
    private static int Element(string text, int at, Dictionary<string, IReadOnlyDictionary<string, string>> elements)
    {
        var i = at + 1;
        var id = Name(text, ref i);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (text[i] == ' ')
        {
            i++;
            var name = Name(text, ref i);
            Assert.Equal("=\"", text.Substring(i, 2));
            i += 2;
            var value = new StringBuilder();
            while (text[i] != '"')
            {
                if (text[i] == '\\' && text[i + 1] is '"' or '\\' or ']')
                {
                    i++;
                }
                else
                {
                    Assert.False(text[i] == ']', "An unescaped ']' in a PARAM-VALUE.");
                }

                value.Append(text[i++]);
            }

            parameters[name] = value.ToString();
            i++;
        }

        Assert.Equal(']', text[i]);
        elements[id] = parameters;
        return i + 1;
    }

    private static string Name(string text, ref int i)
    {
        var start = i;
        while (text[i] is > ' ' and <= '~' and not '=' and not ']' and not '"')
        {
            i++;
        }

        Assert.InRange(i - start, 1, 32);
        return text[start..i];
    }

    [GeneratedRegex(@"^<(?<pri>\d{1,3})>1 (?<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)) (?<host>[!-~]{1,255}) (?<app>[!-~]{1,48}) (?<proc>[!-~]{1,128}) (?<msgid>[!-~]{1,32}) ", RegexOptions.CultureInvariant)]
    private static partial Regex Header();
}
