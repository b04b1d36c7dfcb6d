using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>
/// <c>GET /api/incidents?$filter=lastUpdateTime ge X and lastUpdateTime lt Y&amp;$top=&amp;$skip=</c> over a list of
/// incidents, ordered by id so <c>$skip</c> is stable.
/// </summary>
internal sealed partial class FakeIncidentsApi
{
    public List<(long Id, DateTimeOffset LastUpdateTime)> Incidents { get; } = [];

    /// <summary>When true the API ignores <c>$skip</c> (a broken server), always answering the first page.</summary>
    public bool IgnoreSkip { get; set; }

    public static string IncidentJson(long id, DateTimeOffset lastUpdateTime) =>
        $$"""{"incidentId":{{id}},"incidentName":"Incident {{id}}","status":"Active","lastUpdateTime":"{{lastUpdateTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}}","alerts":[]}""";

    public HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var query = QueryHelpers.ParseQuery(request.RequestUri!.Query);
        var filter = FilterPattern().Match(query["$filter"].ToString());
        if (request.RequestUri.AbsolutePath != "/api/incidents" || !filter.Success)
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest);
        }

        var from = DateTimeOffset.Parse(filter.Groups[1].Value, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(filter.Groups[2].Value, CultureInfo.InvariantCulture);
        var top = int.Parse(query["$top"].ToString(), CultureInfo.InvariantCulture);
        var skip = IgnoreSkip ? 0 : int.Parse(query["$skip"].ToString(), CultureInfo.InvariantCulture);
        var page = Incidents.Where(i => i.LastUpdateTime >= from && i.LastUpdateTime < to)
            .OrderBy(i => i.Id).Skip(skip).Take(top)
            .Select(i => IncidentJson(i.Id, i.LastUpdateTime));
        var body = $$"""{"@odata.context":"https://api.security.microsoft.com/api/$metadata#Incidents","value":[{{string.Join(",", page)}}]}""";
        return Json(body);
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, string target = "req-0001") =>
        Json(JsonSerializer.Serialize(new { error = new { code, message, target } }), status);

    [GeneratedRegex(@"^lastUpdateTime ge (\S+) and lastUpdateTime lt (\S+)$")]
    private static partial Regex FilterPattern();
}
