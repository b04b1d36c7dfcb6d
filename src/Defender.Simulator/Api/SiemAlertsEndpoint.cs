using System.Text.Json;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// <c>GET /api/alerts</c> of the Defender for Endpoint SIEM API: a JSON array of detections, oldest first by
/// LastProcessedTimeUtc; with <c>limit</c> only the most recent N of the window (no paging, as documented).
/// </summary>
internal static class SiemAlertsEndpoint
{
    public static async Task ServeAsync(HttpContext context, SimulatedTenant tenant, DateTimeOffset now)
    {
        var query = SiemQuery.TryParse(context.Request.Query, now, out var error);
        if (query is null)
        {
            await DefenderErrorResult.BadRequestAsync(context, "InvalidInput", error!).ConfigureAwait(false);
            return;
        }

        var profile = tenant.World.Profile;
        var selected = tenant.World.VisibleSiemAlerts(now)
            .Where(a => a.LastProcessedTime >= query.Since && a.LastProcessedTime <= query.Until)
            .Where(a => Matches(profile.Devices[a.DeviceIndex], query))
            .OrderBy(a => a.LastProcessedTime)
            .ThenBy(a => a.FullId, StringComparer.Ordinal)
            .ToList();
        if (query.Limit is { } limit && selected.Count > limit)
        {
            selected = selected[^limit..];
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.Options);
        writer.WriteStartArray();
        foreach (var alert in selected)
        {
            SiemAlertJsonWriter.Write(writer, profile, alert);
        }

        writer.WriteEndArray();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static bool Matches(DeviceProfile device, SiemQuery query) =>
        (query.MachineGroups.Count == 0 || query.MachineGroups.Contains(device.MachineGroup, StringComparer.OrdinalIgnoreCase))
        && HasAnyTag(device.DeviceCreatedMachineTags, query.DeviceCreatedMachineTags)
        && HasAnyTag(device.CloudCreatedMachineTags, query.CloudCreatedMachineTags);

    private static bool HasAnyTag(string deviceTags, IReadOnlyList<string> wanted) =>
        wanted.Count == 0 || deviceTags.Split(',', StringSplitOptions.TrimEntries).Intersect(wanted, StringComparer.OrdinalIgnoreCase).Any();
}
