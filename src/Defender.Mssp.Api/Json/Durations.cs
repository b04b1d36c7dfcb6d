using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Defender.Mssp.Api.Json;

/// <summary>
/// Durations as people write them in configuration (<c>[d.]hh:mm:ss</c>, e.g. <c>00:05:00</c>, <c>1.00:00:00</c>)
/// or as ISO 8601 (<c>PT5M</c>, <c>P1D</c>). Only these: .NET's own parser would also read <c>5</c> as five days.
/// </summary>
public static partial class Durations
{
    public const string Description = "a duration: [d.]hh:mm:ss (e.g. 00:05:00) or ISO 8601 (e.g. PT5M)";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 32)
        {
            return false;
        }

        if (Constant().IsMatch(text))
        {
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
        }

        if (Iso8601().IsMatch(text))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The constant (<c>c</c>) form, which is also how durations are written back.</summary>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^-?(\d{1,5}\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Constant();

    [GeneratedRegex(@"^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601();
}
