using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>
/// <c>GET /api/alerts?sinceTimeUtc=&amp;untilTimeUtc=&amp;limit=&amp;machinegroups=</c> as seed 003 describes it: alerts
/// with since ≤ LastProcessedTimeUtc &lt; until in the given machine groups, of which only the most recent
/// <c>limit</c> are returned.
/// </summary>
internal sealed class FakeSiemApi
{
    public List<Alert> Alerts { get; } = [];

    public HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var query = QueryHelpers.ParseQuery(request.RequestUri!.Query);
        if (request.RequestUri.AbsolutePath != "/api/alerts")
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var since = DateTimeOffset.Parse(query["sinceTimeUtc"].ToString(), CultureInfo.InvariantCulture);
        var until = DateTimeOffset.Parse(query["untilTimeUtc"].ToString(), CultureInfo.InvariantCulture);
        var limit = int.Parse(query["limit"].ToString(), CultureInfo.InvariantCulture);
        var groups = query.TryGetValue("machinegroups", out var g) ? g.ToArray() : [];
        var selected = Alerts
            .Where(a => a.LastProcessedTimeUtc >= since && a.LastProcessedTimeUtc < until)
            .Where(a => groups.Length == 0 || groups.Contains(a.MachineGroup))
            .OrderByDescending(a => a.LastProcessedTimeUtc)
            .Take(limit)
            .Select(a => a.ToJson());
        return FakeIncidentsApi.Json("[" + string.Join(",", selected) + "]");
    }

    internal sealed record Alert(string AlertId, string? FullId, DateTimeOffset LastProcessedTimeUtc, string MachineGroup = "")
    {
        public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["AlertTime"] = LastProcessedTimeUtc.AddMinutes(-2).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["AlertTitle"] = "Suspicious File Activity",
            ["Severity"] = "High",
            ["AlertId"] = AlertId,
            ["FullId"] = FullId,
            ["LastProcessedTimeUtc"] = LastProcessedTimeUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["MachineGroup"] = MachineGroup,
        });
    }
}
