using Defender.Simulator.Faults;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Api;

/// <summary>Maps the simulated Microsoft Graph security APIs (<c>/v1.0/security/...</c>) at the simulator's root.</summary>
internal static class GraphApiEndpoints
{
    public static IEndpointRouteBuilder MapGraphSecurityApis(this IEndpointRouteBuilder endpoints)
    {
        var apis = endpoints.ServiceProvider.GetRequiredService<IOptions<SimulatorOptions>>().Value.Apis;
        var alerts = new ApiSource(ApiSource.GraphAlertsName, FaultSource.GraphAlerts, [.. apis.GraphAudiences]);
        var incidents = new ApiSource(ApiSource.GraphIncidentsName, FaultSource.GraphIncidents, [.. apis.GraphAudiences]);
        var serveAlerts = ServedSources.Only(alerts.Name, GraphAlertsEndpoint.ServeAsync, graph: true);
        var serveIncidents = ServedSources.Only(incidents.Name, GraphIncidentsEndpoint.ServeAsync, graph: true);

        endpoints.MapGet("/v1.0/security/alerts_v2", (HttpContext context, ApiCallHandler handler) =>
            handler.HandleAsync(context, alerts, serveAlerts));
        endpoints.MapGet("/v1.0/security/incidents", (HttpContext context, ApiCallHandler handler) =>
            handler.HandleAsync(context, incidents, serveIncidents));
        return endpoints;
    }
}
