using System.Globalization;
using System.Text.Json;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /v1.0/security/incidents</c> of Microsoft Graph: the incidents the incidents API serves, latest visible
/// version, in id order, in Graph's shape (merged incidents keep their <c>redirectIncidentId</c>); <c>$filter</c>
/// (lastUpdateDateTime, createdDateTime, status, severity, assignedTo), <c>$top</c> ≤ 50 (more is a 400),
/// <c>$skip</c> ≤ 500, <c>$count</c>, <c>$expand=alerts</c>; <c>@odata.nextLink</c> with a skip token.
/// </summary>
internal static class GraphIncidentsEndpoint
{
    public const int MaxTop = 50;

    private const string TypeName = "microsoft.graph.security.incident";

    private static readonly FilterSchema<IncidentCandidate> Schema = new(
        TypeName,
        new("lastUpdateDateTime", Time: i => i.LastUpdateTime),
        new("createdDateTime", Time: i => i.CreatedTime),
        new("status", Text: i => AlertNames.GraphIncidentStatus(i.State.Status)),
        new("severity", Text: i => AlertNames.GraphEnum(i.State.Severity)),
        new("assignedTo", Text: i => i.State.AssignedTo));

    public static async Task ServeAsync(HttpContext context, SimulatedTenant tenant, DateTimeOffset now)
    {
        var query = GraphQuery.TryParse(context.Request.Query, MaxTop, ["alerts"], TypeName, out var error);
        QueryFilter<IncidentCandidate>? filter = null;
        var after = int.MinValue;
        if (query is not null && query.Filter is { } text
            && (filter = QueryFilter<IncidentCandidate>.TryParse(text, Schema, out error)) is null)
        {
            error = "Invalid filter clause: " + error;
        }
        else if (query?.Position is { } position
                 && !int.TryParse(position, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out after))
        {
            error = "The $skiptoken is invalid or expired.";
        }

        if (query is null || error is not null)
        {
            await GraphErrorResult.BadRequestAsync(context, error!, now).ConfigureAwait(false);
            return;
        }

        var world = tenant.World;
        var profile = world.Profile;
        var matching = world.VisibleIncidents(now)
            .Select(v => (Visible: v, Candidate: new IncidentCandidate(profile, v)))
            .Where(i => filter is null || filter.Matches(i.Candidate));
        var count = query.Count ? matching.Count() : (int?)null;
        var (page, more) = GraphAlertsEndpoint.Cut(matching.Where(i => i.Visible.Plan.IncidentId > after), query.Skip, query.Top);
        var alerts = query.Expand is null ? null : world.AlertsOf([.. page.Select(i => i.Visible)], now);

        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"{request.Scheme}://{request.Host}/v1.0/$metadata#security/incidents{(alerts is null ? "" : "(alerts())")}");
        if (count is { } total)
        {
            writer.WriteNumber("@odata.count", total);
        }

        if (more)
        {
            var last = page[^1].Visible.Plan.IncidentId.ToString(CultureInfo.InvariantCulture);
            writer.WriteString("@odata.nextLink", GraphQuery.NextLink(request, last));
        }

        writer.WriteStartArray("value");
        for (var i = 0; i < page.Count; i++)
        {
            var incident = page[i].Candidate.State;
            // An absorbed incident's alerts have moved to the incident that absorbed it.
            var expanded = alerts?[i]
                .Where(a => a.IncidentId == incident.IncidentId)
                .Select(a => AlertContentBuilder.Build(profile, a))
                .ToList();
            GraphIncidentJsonWriter.Write(writer, profile, incident, expanded);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
