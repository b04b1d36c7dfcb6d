using System.Text;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// Escaping as the ArcSight CEF specification sets it. Header fields: backslash and pipe are escaped with a backslash;
/// line breaks are not allowed there and become spaces. Extension values: backslash and equals sign are escaped, and
/// CR and LF are written as <c>\r</c> and <c>\n</c> (multi-line text is allowed only in extension values); a pipe is
/// not escaped there.
/// </summary>
public static class CefEscaping
{
    public static string Header(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '|' => text.Append(@"\|"),
                '\r' or '\n' => text.Append(' '),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    public static string ExtensionValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '=' => text.Append(@"\="),
                '\r' => text.Append(@"\r"),
                '\n' => text.Append(@"\n"),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}
