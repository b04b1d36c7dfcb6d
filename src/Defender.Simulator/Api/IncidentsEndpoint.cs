using System.Globalization;
using System.Text.Json;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;
using Microsoft.AspNetCore.WebUtilities;

namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /api/incidents</c> of Microsoft 365 Defender: <c>$filter</c>, <c>$top</c> (default and maximum 100),
/// <c>$skip</c>; the latest visible version of each incident, in incident id order so <c>$skip</c> pages are stable;
/// <c>@odata.nextLink</c> when a page is full.
/// </summary>
internal static class IncidentsEndpoint
{
    /// <summary>What the incidents API documents as filterable: two times and two texts.</summary>
    private static readonly FilterSchema<IncidentCandidate> FilterSchema = new(
        "Incident",
        new("lastUpdateTime", Time: i => i.LastUpdateTime),
        new("createdTime", Time: i => i.CreatedTime),
        new("status", Text: i => i.State.Status),
        new("assignedTo", Text: i => i.State.AssignedTo));

    public const int MaxTop = 100;

    private static readonly HashSet<string> SupportedOptions = new(["$filter", "$top", "$skip"], StringComparer.OrdinalIgnoreCase);

    public static async Task ServeAsync(HttpContext context, SimulatedTenant tenant, DateTimeOffset now)
    {
        var query = context.Request.Query;
        foreach (var key in query.Keys)
        {
            if (key.StartsWith('$') && !SupportedOptions.Contains(key))
            {
                await DefenderErrorResult.BadRequestAsync(context, "ODataError", $"Invalid OData URI query: the query option '{key}' is not supported.").ConfigureAwait(false);
                return;
            }

            if (query[key].Count > 1)
            {
                await DefenderErrorResult.BadRequestAsync(context, "ODataError", $"Invalid OData URI query: the query option '{key}' was specified more than once.").ConfigureAwait(false);
                return;
            }
        }

        if (!TryReadInt(query["$top"], MaxTop, out var top) || top < 0)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError", $"Invalid OData URI query: invalid value '{query["$top"]}' for $top.").ConfigureAwait(false);
            return;
        }

        if (top > MaxTop)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError",
                $"Invalid OData URI query \"The limit of '{MaxTop}' for Top query has been exceeded. The value from the incoming request is '{top}'.\"").ConfigureAwait(false);
            return;
        }

        if (!TryReadInt(query["$skip"], 0, out var skip) || skip < 0)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError", $"Invalid OData URI query: invalid value '{query["$skip"]}' for $skip.").ConfigureAwait(false);
            return;
        }

        QueryFilter<IncidentCandidate>? filter = null;
        var filterText = query["$filter"].ToString();
        if (filterText.Length > 0 && (filter = QueryFilter<IncidentCandidate>.TryParse(filterText, FilterSchema, out var error)) is null)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError", $"Invalid OData URI query: {error}").ConfigureAwait(false);
            return;
        }

        var profile = tenant.World.Profile;
        var page = new List<IncidentCandidate>(top);
        var matched = 0;
        foreach (var visible in tenant.World.VisibleIncidents(now))
        {
            var candidate = new IncidentCandidate(profile, visible);
            if (filter is not null && !filter.Matches(candidate))
            {
                continue;
            }

            if (matched++ >= skip && page.Count < top)
            {
                page.Add(candidate);
            }
        }

        await WriteAsync(context, profile, page, page.Count == top && top > 0 ? NextLink(context.Request, skip + top) : null).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, TenantProfile profile, List<IncidentCandidate> page, string? nextLink)
    {
        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"{request.Scheme}://{request.Host}/api/$metadata#Incidents");
        writer.WriteStartArray("value");
        foreach (var incident in page)
        {
            IncidentJsonWriter.Write(writer, profile, incident.State);
        }

        writer.WriteEndArray();
        if (nextLink is not null)
        {
            writer.WriteString("@odata.nextLink", nextLink);
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string NextLink(HttpRequest request, int skip)
    {
        var parameters = request.Query
            .Where(p => !string.Equals(p.Key, "$skip", StringComparison.OrdinalIgnoreCase))
            .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value.ToString()))
            .Append(KeyValuePair.Create("$skip", (string?)skip.ToString(CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", parameters);
    }

    private static bool TryReadInt(Microsoft.Extensions.Primitives.StringValues value, int fallback, out int result)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value.ToString()))
        {
            result = fallback;
            return true;
        }

        if (int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out result))
        {
            return true;
        }

        result = -1;
        return false;
    }
}
