using System.Globalization;
using System.Text.Json;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /api/alerts</c> of the Defender for Endpoint API: the alerts Defender for Endpoint raised, latest visible
/// version, in (alertCreationTime, id) order so <c>$skip</c> pages stay put while alerts change; <c>$filter</c>
/// (lastUpdateTime, alertCreationTime, status, severity, category), <c>$top</c> (default and maximum 10,000; more is
/// a 400), <c>$skip</c>, <c>$expand=evidence</c>. No <c>@odata.nextLink</c>: callers page with <c>$skip</c> until a
/// short page, as the documentation says.
/// </summary>
internal static class EndpointAlertsEndpoint
{
    public const int MaxTop = 10_000;

    private static readonly string[] SupportedOptions = ["$filter", "$top", "$skip", "$expand"];

    public static async Task ServeAsync(HttpContext context, SimulatedTenant tenant, DateTimeOffset now)
    {
        var query = context.Request.Query;
        if (Validate(query) is { } invalid)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError", "Invalid OData URI query: " + invalid).ConfigureAwait(false);
            return;
        }

        var top = Number(query["$top"].ToString(), MaxTop);
        var skip = Number(query["$skip"].ToString(), 0);
        var withEvidence = query["$expand"].ToString().Length > 0;
        QueryFilter<AlertCandidate>? filter = null;
        var filterText = query["$filter"].ToString();
        if (filterText.Length > 0 && (filter = QueryFilter<AlertCandidate>.TryParse(filterText, AlertCandidate.EndpointSchema, out var error)) is null)
        {
            await DefenderErrorResult.BadRequestAsync(context, "ODataError", "Invalid OData URI query: " + error).ConfigureAwait(false);
            return;
        }

        var profile = tenant.World.Profile;
        var page = tenant.World.VisibleAlerts(now, AlertFeed.Endpoint)
            .Select(v => new AlertCandidate(profile, v))
            .Where(a => filter is null || filter.Matches(a))
            .Skip(skip)
            .Take(top)
            .ToList();

        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", $"{request.Scheme}://{request.Host}/api/$metadata#Alerts");
        writer.WriteStartArray("value");
        foreach (var alert in page)
        {
            EndpointAlertJsonWriter.Write(writer, profile, alert.Content, withEvidence);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The error message for options the API refuses, or null when they are acceptable.</summary>
    private static string? Validate(IQueryCollection query)
    {
        foreach (var key in query.Keys)
        {
            if (key.StartsWith('$') && !SupportedOptions.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                return $"the query option '{key}' is not supported.";
            }

            if (query[key].Count > 1)
            {
                return $"the query option '{key}' was specified more than once.";
            }
        }

        var top = query["$top"].ToString();
        if (top.Length > 0 && !int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return $"invalid value '{top}' for $top.";
        }

        if (top.Length > 0 && Number(top, 0) > MaxTop)
        {
            return $"\"The limit of '{MaxTop}' for Top query has been exceeded. The value from the incoming request is '{top}'.\"";
        }

        var skip = query["$skip"].ToString();
        if (skip.Length > 0 && !int.TryParse(skip, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return $"invalid value '{skip}' for $skip.";
        }

        var expand = query["$expand"].ToString();
        return expand.Length > 0 && !expand.Equals("evidence", StringComparison.OrdinalIgnoreCase)
            ? $"could not find a property named '{expand}' on type 'Alert' that can be expanded."
            : null;
    }

    private static int Number(string text, int fallback) =>
        text.Length > 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
