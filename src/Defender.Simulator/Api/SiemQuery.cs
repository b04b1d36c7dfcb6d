using System.Globalization;
using System.Xml;

namespace Defender.Simulator.Api;

/// <summary>
/// The SIEM API's query parameters (seed 003): a window on LastProcessedTimeUtc from sinceTimeUtc/untilTimeUtc (both
/// inclusive) or ago (ISO 8601 duration), the last two hours when neither is given; limit keeps the most recent N;
/// machinegroups (repeatable, any of) and the two machine tag filters.
/// </summary>
internal sealed record SiemQuery(
    DateTimeOffset Since,
    DateTimeOffset Until,
    int? Limit,
    IReadOnlyList<string> MachineGroups,
    IReadOnlyList<string> DeviceCreatedMachineTags,
    IReadOnlyList<string> CloudCreatedMachineTags)
{
    /// <summary>The window served when no time parameter is given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(2);

    public static SiemQuery? TryParse(IQueryCollection query, DateTimeOffset now, out string? error)
    {
        error = null;
        var since = Time(query, "sinceTimeUtc", ref error);
        var until = Time(query, "untilTimeUtc", ref error);
        var agoText = query["ago"].ToString();
        TimeSpan? ago = null;
        if (agoText.Length > 0)
        {
            try
            {
                ago = XmlConvert.ToTimeSpan(agoText);
            }
            catch (FormatException)
            {
                error ??= $"The value '{agoText}' of 'ago' is not an ISO 8601 duration (e.g. PT10M).";
            }
        }

        int? limit = null;
        var limitText = query["limit"].ToString();
        if (limitText.Length > 0)
        {
            if (int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
            {
                limit = parsed;
            }
            else
            {
                error ??= $"The value '{limitText}' of 'limit' is not a positive integer.";
            }
        }

        if (ago is not null && (since is not null || until is not null))
        {
            error ??= "'ago' cannot be combined with 'sinceTimeUtc' or 'untilTimeUtc'.";
        }

        if (error is not null)
        {
            return null;
        }

        var from = ago is { } duration ? now - duration : since ?? now - DefaultWindow;
        var to = ago is not null ? now : until ?? now;
        if (from > to)
        {
            error = "'sinceTimeUtc' is later than 'untilTimeUtc'.";
            return null;
        }

        return new SiemQuery(from, to, limit, Values(query, "machinegroups"), Values(query, "DeviceCreatedMachineTags"), Values(query, "CloudCreatedMachineTags"));
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, ref string? error)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        error ??= $"The value '{text}' of '{name}' is not a valid date and time.";
        return null;
    }

    private static string[] Values(IQueryCollection query, string name) =>
        [.. query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim())];
}
