using System.Text.RegularExpressions;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>A silo claimed a tenant's lease, or gave it up as lost, at <see cref="Time"/> (its own log's clock).</summary>
public sealed record LeaseEvent(string SiloId, Guid TenantId, DateTimeOffset Time, string? Reason);

/// <summary>The cluster's lease events read back from a silo's log: claims and losses, per tenant.</summary>
public static partial class LeaseEvents
{
    /// <summary>"Claimed tenant {id} (state/{id}.json)": the lease is held and the grain activated.</summary>
    public static IReadOnlyList<LeaseEvent> Claims(string siloId, string output) =>
        Find(siloId, output, Claimed());

    /// <summary>"Lost the lease of tenant {id}: {reason}; its activation is aborted".</summary>
    public static IReadOnlyList<LeaseEvent> Losses(string siloId, string output) =>
        Find(siloId, output, Lost());

    private static List<LeaseEvent> Find(string siloId, string output, Regex pattern) =>
        SiloLogLine.Parse(output)
            .Select(line => (line, match: pattern.Match(line.Message)))
            .Where(pair => pair.match.Success)
            .Select(pair => new LeaseEvent(
                siloId,
                Guid.Parse(pair.match.Groups["tenant"].Value),
                pair.line.Time,
                pair.match.Groups["reason"] is { Success: true } reason ? reason.Value : null))
            .ToList();

    [GeneratedRegex(@"Claimed tenant (?<tenant>[0-9a-fA-F-]{36}) ")]
    private static partial Regex Claimed();

    [GeneratedRegex(@"Lost the lease of tenant (?<tenant>[0-9a-fA-F-]{36}): (?<reason>.*); its activation is aborted")]
    private static partial Regex Lost();
}
