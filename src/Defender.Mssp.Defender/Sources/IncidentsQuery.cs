using System.Globalization;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// <c>GET {xdr}/api/incidents?$filter=lastUpdateTime ge {from} and lastUpdateTime lt {to}&amp;$top={n}&amp;$skip={k}</c>:
/// the window's bounds as the API's own inclusive/exclusive operators, so consecutive windows neither overlap nor
/// leave a gap (the grain adds its overlap on top).
/// </summary>
internal static class IncidentsQuery
{
    public static Uri Build(Uri xdrApiBase, RecordWindow window, int top, int skip)
    {
        var filter = $"lastUpdateTime ge {ODataTime.Format(window.From)} and lastUpdateTime lt {ODataTime.Format(window.To)}";
        return new Uri(string.Create(CultureInfo.InvariantCulture,
            $"{xdrApiBase.AbsoluteUri.TrimEnd('/')}/api/incidents?$filter={Uri.EscapeDataString(filter)}&$top={top}&$skip={skip}"));
    }
}
