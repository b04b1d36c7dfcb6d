using Defender.Simulator.Faults;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Api;

/// <summary>Maps the simulated Defender APIs at the simulator's root.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapDefenderApis(this IEndpointRouteBuilder endpoints)
    {
        var apis = endpoints.ServiceProvider.GetRequiredService<IOptions<SimulatorOptions>>().Value.Apis;
        var incidents = new ApiSource(ApiSource.IncidentsName, FaultSource.Incidents, [.. apis.IncidentsAudiences]);
        var siem = new ApiSource(ApiSource.SiemName, FaultSource.Siem, [.. apis.SiemAudiences]);
        var alerts = new ApiSource(ApiSource.AlertsName, FaultSource.Alerts, [.. apis.AlertsAudiences]);
        var serveIncidents = ServedSources.Only(incidents.Name, IncidentsEndpoint.ServeAsync);
        var serveSiem = ServedSources.Only(siem.Name, SiemAlertsEndpoint.ServeAsync);
        var serveAlerts = ServedSources.Only(alerts.Name, EndpointAlertsEndpoint.ServeAsync);

        endpoints.MapGet("/api/incidents", (HttpContext context, ApiCallHandler handler) =>
            handler.HandleAsync(context, incidents, serveIncidents));

        // The SIEM API lives on regional hosts (wdatp-alertexporter-{eu,us,uk}); the product maps them all here and the
        // call log records which Host it used. Seed 003 spells the path both /api/alerts and /api/Alerts. The Defender
        // for Endpoint alerts API has the same path on its own host; AlertsRoute tells the two apart.
        endpoints.MapGet("/api/alerts", (HttpContext context, ApiCallHandler handler) => AlertsRoute.IsEndpointApi(context.Request)
            ? handler.HandleAsync(context, alerts, serveAlerts)
            : handler.HandleAsync(context, siem, serveSiem));
        return endpoints;
    }
}
