using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Defender.Mssp.Defender.Api;

/// <summary>How long a throttled (429) or unavailable (503) service asked the caller to wait.</summary>
internal static partial class RetryAfter
{
    /// <summary>
    /// From <c>Retry-After</c> as seconds or an HTTP date (relative to <paramref name="now"/>), else from a body saying
    /// "… in N seconds"; null when the service said neither.
    /// </summary>
    public static TimeSpan? Parse(RetryConditionHeaderValue? header, string? body, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        if (!string.IsNullOrEmpty(body) && InNSeconds().Match(body) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    [GeneratedRegex(@"\bin\s+(\d{1,6})\s+sec(?:ond)?s?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InNSeconds();
}
