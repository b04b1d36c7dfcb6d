using System.Globalization;
using System.Text;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// The first request of each successor source. Each filters <c>{time field} ge {window start}</c> and nothing more:
/// with an upper bound, a record updated while a read pages through would leave the result set and shift the pages
/// behind it, so a <c>$skip</c> (or a server's own paging) could step over a record never read. Open-ended, a record
/// can only gain a newer version and stays in the set; the grain ignores what lies beyond the window's end and reads
/// it again in the next window.
/// </summary>
internal static class SuccessorQueries
{
    /// <summary><c>GET {endpoint}/api/alerts?$filter=lastUpdateTime ge {from}&amp;$top={n}&amp;$skip={k}[&amp;$expand=evidence]</c>.</summary>
    public static Uri Alerts(Uri endpointApiBase, RecordWindow window, int top, int skip, bool expandEvidence)
    {
        var uri = new StringBuilder()
            .Append(endpointApiBase.AbsoluteUri.TrimEnd('/')).Append("/api/alerts?$filter=")
            .Append(Uri.EscapeDataString($"lastUpdateTime ge {ODataTime.Format(window.From)}"))
            .Append(CultureInfo.InvariantCulture, $"&$top={top}&$skip={skip}");
        if (expandEvidence)
        {
            uri.Append("&$expand=evidence");
        }

        return new Uri(uri.ToString());
    }

    /// <summary><c>GET {graph}/v1.0/security/alerts_v2?$filter=lastUpdateDateTime ge {from}&amp;$top={n}</c>; later pages by nextLink.</summary>
    public static Uri GraphAlerts(Uri graphBase, RecordWindow window, int top) =>
        Graph(graphBase, "alerts_v2", window, top, expand: null);

    /// <summary><c>GET {graph}/v1.0/security/incidents?$filter=lastUpdateDateTime ge {from}&amp;$top={n}[&amp;$expand=alerts]</c>.</summary>
    public static Uri GraphIncidents(Uri graphBase, RecordWindow window, int top, bool expandAlerts) =>
        Graph(graphBase, "incidents", window, top, expandAlerts ? "alerts" : null);

    private static Uri Graph(Uri graphBase, string collection, RecordWindow window, int top, string? expand)
    {
        var uri = new StringBuilder()
            .Append(graphBase.AbsoluteUri.TrimEnd('/')).Append("/v1.0/security/").Append(collection).Append("?$filter=")
            .Append(Uri.EscapeDataString($"lastUpdateDateTime ge {ODataTime.Format(window.From)}"))
            .Append(CultureInfo.InvariantCulture, $"&$top={top}");
        if (expand is not null)
        {
            uri.Append("&$expand=").Append(expand);
        }

        return new Uri(uri.ToString());
    }
}
