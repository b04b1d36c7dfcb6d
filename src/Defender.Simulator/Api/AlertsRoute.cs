namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /api/alerts</c> is two APIs: the SIEM API on the alert exporter hosts (<c>wdatp-alertexporter-*</c>) and
/// the Defender for Endpoint alerts API on <c>api*.securitycenter.*</c>. With real host names mapped here the Host
/// header tells them apart; with everything on one address (tests, demo) the query does: OData options
/// (<c>$filter</c>, <c>$top</c>, …) belong to the alerts API, the SIEM API has none.
/// </summary>
internal static class AlertsRoute
{
    public static bool IsEndpointApi(HttpRequest request)
    {
        var host = request.Host.Host;
        if (host.StartsWith("wdatp-alertexporter", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return host.Contains(".securitycenter.", StringComparison.OrdinalIgnoreCase)
            || request.Query.Keys.Any(key => key.StartsWith('$'));
    }
}
