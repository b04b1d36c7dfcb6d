using System.Text;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>
/// A CEF event read back the way an ArcSight connector reads it, written from the spec rather than from the sink:
/// seven header fields split at unescaped pipes (<c>\|</c> and <c>\\</c> unescaped), then extension pairs split at
/// unescaped equals signs, a key being the word before one (<c>\=</c>, <c>\\</c>, <c>\n</c>, <c>\r</c> unescaped).
/// </summary>
internal sealed record CefEvent(string Version, string Vendor, string Product, string DeviceVersion, string SignatureId,
    string Name, string Severity, IReadOnlyDictionary<string, string> Extensions)
{
    public static CefEvent Parse(string text)
    {
        Assert.StartsWith("CEF:", text, StringComparison.Ordinal);
        var header = new List<string>();
        var field = new StringBuilder();
        var i = 4;
        for (; i < text.Length && header.Count < 7; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '\\' or '|')
            {
                field.Append(text[++i]);
            }
            else if (c == '|')
            {
                header.Add(field.ToString());
                field.Clear();
            }
            else
            {
                Assert.False(c is '\r' or '\n', "A CEF header holds no line break.");
                Assert.False(c == '\\', $"A lone backslash in the CEF header at {i}: {text}");
                field.Append(c);
            }
        }

        Assert.Equal(7, header.Count);
        return new CefEvent(header[0], header[1], header[2], header[3], header[4], header[5], header[6], Extension(text[i..]));
    }

    private static Dictionary<string, string> Extension(string text)
    {
        // Positions of the unescaped '=' that end keys.
        var equals = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '=')
            {
                equals.Add(i);
            }
        }

        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var keyStarts = equals.Select(at => KeyStart(text, at)).ToList();
        for (var k = 0; k < equals.Count; k++)
        {
            var key = text[keyStarts[k]..equals[k]];
            var valueEnd = k + 1 < equals.Count ? keyStarts[k + 1] - 1 : text.Length;
            Assert.True(k + 1 == equals.Count || text[valueEnd] == ' ', $"Extension pairs are separated by a space: {text}");
            Assert.True(pairs.TryAdd(key, Unescape(text[(equals[k] + 1)..valueEnd])), $"Extension key '{key}' appears twice: {text}");
        }

        return pairs;
    }

    private static int KeyStart(string text, int equalsAt)
    {
        var start = equalsAt;
        while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '_' or '.'))
        {
            start--;
        }

        Assert.True(start < equalsAt && (start == 0 || text[start - 1] == ' '), $"An unescaped '=' not after a key at {equalsAt}: {text}");
        return start;
    }

    private static string Unescape(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\')
            {
                Assert.False(value[i] is '\r' or '\n', "A CEF extension value holds no raw line break.");
                text.Append(value[i]);
                continue;
            }

            Assert.True(i + 1 < value.Length, $"A trailing lone backslash: {value}");
            text.Append(value[++i] switch
            {
                '\\' => '\\',
                '=' => '=',
                'n' => '\n',
                'r' => '\r',
                var other => throw new Xunit.Sdk.XunitException($"'\\{other}' is no CEF extension escape: {value}"),
            });
        }

        return text.ToString();
    }
}
