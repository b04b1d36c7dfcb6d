using System.Globalization;

namespace Defender.Mssp.Defender.Api;

/// <summary>Time literals for Defender queries: ISO 8601 UTC with all seven fractional digits, so no tick is lost.</summary>
internal static class ODataTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
