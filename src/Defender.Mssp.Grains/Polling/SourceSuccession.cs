using Defender.Mssp.Grains.State;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Grains.Polling;

/// <summary>
/// Moving a tenant to a successor API is a configuration change, not a new start: a successor that has never been
/// polled continues from its predecessor's watermark (its first window then starts an overlap before it, as every
/// window does) instead of reading the initial look-back again. The successor serves the same alerts or incidents
/// under their own ids, so nothing past the watermark is lost and nothing before it is read twice.
/// </summary>
internal static class SourceSuccession
{
    /// <summary>Successor → the source whose checkpoint it continues: the SIEM API's alerts move to Graph alerts_v2,
    /// the Microsoft 365 Defender incidents to Graph incidents (same incidents, same last-update times).</summary>
    public static IReadOnlyDictionary<string, string> Predecessors { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DefenderSources.GraphAlerts] = DefenderSources.Siem,
        [DefenderSources.GraphIncidents] = DefenderSources.Incidents,
    };

    /// <summary>
    /// When <paramref name="source"/> has a predecessor with a watermark and has itself never been polled, gives it a
    /// checkpoint at that watermark and returns the predecessor's name; otherwise changes nothing and returns null.
    /// </summary>
    public static string? Continue(string source, IDictionary<string, SourceCheckpoint> checkpoints)
    {
        if (!Predecessors.TryGetValue(source, out var predecessor)
            || !checkpoints.TryGetValue(predecessor, out var from) || from.Watermark is not { } watermark
            || (checkpoints.TryGetValue(source, out var own) && !NeverPolled(own)))
        {
            return null;
        }

        checkpoints[source] = new SourceCheckpoint { Watermark = watermark };
        return predecessor;
    }

    /// <summary>A checkpoint only created for status (e.g. while the tenant was paused), never read or failed.</summary>
    private static bool NeverPolled(SourceCheckpoint checkpoint) =>
        checkpoint is { Watermark: null, Seen.Count: 0, RecordsDelivered: 0, LastSuccessAt: null, ConsecutiveFailures: 0, LastError: null };
}
