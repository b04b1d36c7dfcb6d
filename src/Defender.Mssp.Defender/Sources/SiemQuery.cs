using System.Globalization;
using System.Text;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// <c>GET {siem}/api/alerts?sinceTimeUtc={from}&amp;untilTimeUtc={to}&amp;limit={n}&amp;machinegroups=a&amp;machinegroups=b</c>
/// (seed 003). The window is taken as [since, until), the same as <see cref="RecordWindow"/>.
/// </summary>
internal static class SiemQuery
{
    public static Uri Build(Uri siemBase, RecordWindow window, int limit, IReadOnlyList<string> machineGroups)
    {
        var query = new StringBuilder()
            .Append(siemBase.AbsoluteUri.TrimEnd('/'))
            .Append("/api/alerts?sinceTimeUtc=").Append(Uri.EscapeDataString(ODataTime.Format(window.From)))
            .Append("&untilTimeUtc=").Append(Uri.EscapeDataString(ODataTime.Format(window.To)))
            .Append("&limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        foreach (var group in machineGroups)
        {
            query.Append("&machinegroups=").Append(Uri.EscapeDataString(group));
        }

        return new Uri(query.ToString());
    }
}
