using Defender.Simulator.Records;

namespace Defender.Simulator.Api;

/// <summary>
/// An alert version being considered for a response. Its content is rendered only when a filter on status or
/// severity, or the response itself, needs it; time filters and paging need only the version.
/// </summary>
internal sealed class AlertCandidate(TenantProfile profile, AlertVersion version)
{
    private AlertContent? _content;

    public AlertVersion Version => version;

    public AlertContent Content => _content ??= AlertContentBuilder.Build(profile, version);

    /// <summary><c>$filter</c> properties of the Defender for Endpoint alerts API.</summary>
    public static FilterSchema<AlertCandidate> EndpointSchema { get; } = new(
        "Alert",
        new("lastUpdateTime", Time: a => a.Version.LastUpdateTime),
        new("alertCreationTime", Time: a => a.Version.CreatedTime),
        new("status", Text: a => a.Content.Status),
        new("severity", Text: a => a.Content.Severity),
        new("category", Text: a => a.Content.Category));

    /// <summary><c>$filter</c> properties of Graph <c>security/alerts_v2</c>.</summary>
    public static FilterSchema<AlertCandidate> GraphSchema { get; } = new(
        "microsoft.graph.security.alert",
        new("lastUpdateDateTime", Time: a => a.Version.LastUpdateTime),
        new("createdDateTime", Time: a => a.Version.CreatedTime),
        new("status", Text: a => AlertNames.GraphEnum(a.Content.Status)),
        new("severity", Text: a => AlertNames.GraphEnum(a.Content.Severity)),
        new("serviceSource", Text: a => AlertNames.GraphServiceSource(a.Content.ServiceSource)));
}
