using System.Globalization;
using Defender.Simulator.Records;

namespace Defender.Simulator.Api;

/// <summary>Where a page of alerts ended, in their (created, id) order: what a Graph skip token holds.</summary>
internal readonly record struct AlertPosition(long CreatedTicks, string AlertId)
{
    public static AlertPosition Of(AlertVersion alert) => new(alert.CreatedTime.UtcTicks, alert.AlertId);

    public static bool TryParse(string text, out AlertPosition position)
    {
        var separator = text.IndexOf('|', StringComparison.Ordinal);
        if (separator > 0 && long.TryParse(text.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            position = new AlertPosition(ticks, text[(separator + 1)..]);
            return true;
        }

        position = default;
        return false;
    }

    /// <summary>Whether <paramref name="alert"/> sorts after this position.</summary>
    public bool IsBefore(AlertVersion alert)
    {
        var byTime = alert.CreatedTime.UtcTicks.CompareTo(CreatedTicks);
        return byTime > 0 || (byTime == 0 && string.CompareOrdinal(alert.AlertId, AlertId) > 0);
    }

    public override string ToString() => CreatedTicks.ToString(CultureInfo.InvariantCulture) + "|" + AlertId;
}
