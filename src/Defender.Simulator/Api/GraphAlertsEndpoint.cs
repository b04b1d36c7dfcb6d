using System.Text.Json;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /v1.0/security/alerts_v2</c> of Microsoft Graph: every Defender alert of the tenant, latest visible version,
/// in (createdDateTime, id) order; <c>$filter</c> (lastUpdateDateTime, createdDateTime, status, severity,
/// serviceSource), <c>$top</c> ≤ 1,000, <c>$skip</c> ≤ 500, <c>$count</c>; evidence always included. A page with more
/// behind it carries <c>@odata.nextLink</c> with a skip token, which pages on past any <c>$skip</c> cap.
/// </summary>
internal static class GraphAlertsEndpoint
{
    public const int MaxTop = 1_000;

    private const string TypeName = "microsoft.graph.security.alert";

    public static async Task ServeAsync(HttpContext context, SimulatedTenant tenant, DateTimeOffset now)
    {
        var query = GraphQuery.TryParse(context.Request.Query, MaxTop, [], TypeName, out var error);
        QueryFilter<AlertCandidate>? filter = null;
        var after = default(AlertPosition?);
        if (query is not null && query.Filter is { } text
            && (filter = QueryFilter<AlertCandidate>.TryParse(text, AlertCandidate.GraphSchema, out error)) is null)
        {
            error = "Invalid filter clause: " + error;
        }
        else if (query?.Position is { } position)
        {
            after = AlertPosition.TryParse(position, out var parsed) ? parsed : null;
            error = after is null ? "The $skiptoken is invalid or expired." : null;
        }

        if (query is null || error is not null)
        {
            await GraphErrorResult.BadRequestAsync(context, error!, now).ConfigureAwait(false);
            return;
        }

        var profile = tenant.World.Profile;
        var matching = tenant.World.VisibleAlerts(now, AlertFeed.Graph)
            .Select(v => new AlertCandidate(profile, v))
            .Where(a => filter is null || filter.Matches(a));
        var count = query.Count ? matching.Count() : (int?)null;
        var (page, more) = Cut(matching.Where(a => after is not { } p || p.IsBefore(a.Version)), query.Skip, query.Top);

        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"{request.Scheme}://{request.Host}/v1.0/$metadata#security/alerts_v2");
        if (count is { } total)
        {
            writer.WriteNumber("@odata.count", total);
        }

        if (more)
        {
            writer.WriteString("@odata.nextLink", GraphQuery.NextLink(request, AlertPosition.Of(page[^1].Version).ToString()));
        }

        writer.WriteStartArray("value");
        foreach (var alert in page)
        {
            GraphAlertJsonWriter.Write(writer, profile, alert.Content);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Skips, takes a page, and says whether anything matched beyond it.</summary>
    public static (List<T> Page, bool More) Cut<T>(IEnumerable<T> ordered, int skip, int top)
    {
        var page = new List<T>(Math.Min(top, 1024));
        foreach (var item in ordered.Skip(skip))
        {
            if (page.Count == top)
            {
                return (page, true);
            }

            page.Add(item);
        }

        return (page, false);
    }
}
