using System.Globalization;
using System.Text.RegularExpressions;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// One line of a silo's console log as the service defaults write it: single line, UTC timestamp, level, category and
/// event id, then the message (<c>2026-01-01T12:00:00.000Z warn: Defender.Mssp.Runtime.Cluster.ClusterMember[114] Lost …</c>).
/// Lines of another shape (stack traces, the fail point's own line) are skipped.
/// </summary>
public sealed partial record SiloLogLine(DateTimeOffset Time, string Level, string Category, string Message)
{
    public static IReadOnlyList<SiloLogLine> Parse(string output) =>
        output.Split('\n')
            .Select(line => Shape().Match(line.TrimEnd('\r')))
            .Where(match => match.Success)
            .Select(match => new SiloLogLine(
                DateTimeOffset.ParseExact(match.Groups["time"].Value, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                match.Groups["level"].Value,
                match.Groups["category"].Value,
                match.Groups["message"].Value))
            .ToList();

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?<level>\w+): (?<category>[^\[\s]+)\[\d+\] (?<message>.*)$")]
    private static partial Regex Shape();
}
