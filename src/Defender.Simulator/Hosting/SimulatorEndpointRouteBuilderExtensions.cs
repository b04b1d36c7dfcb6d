using Defender.Simulator.Admin;
using Defender.Simulator.Api;
using Defender.Simulator.Identity;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Hosting;

/// <summary>Maps the simulator's endpoints.</summary>
public static class SimulatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Entra ID's token and discovery endpoints, the Defender APIs (<c>/api/incidents</c>, <c>/api/alerts</c>),
    /// the Graph security APIs (<c>/v1.0/security/alerts_v2</c>, <c>/v1.0/security/incidents</c>) and the admin API (<c>/simulator</c>). Creates the configured tenants at once.
    /// </summary>
    public static IEndpointRouteBuilder MapDefenderSimulator(this IEndpointRouteBuilder endpoints)
    {
        _ = endpoints.ServiceProvider.GetRequiredService<TenantRegistry>();
        endpoints.MapPost("/{tenant}/oauth2/token", (HttpContext context, string tenant, TokenRequestHandler handler) =>
            handler.HandleAsync(context, tenant, TokenEndpointVersion.V1));
        endpoints.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext context, string tenant, TokenRequestHandler handler) =>
            handler.HandleAsync(context, tenant, TokenEndpointVersion.V2));
        endpoints.MapDiscoveryEndpoints();
        endpoints.MapDefenderApis();
        endpoints.MapGraphSecurityApis();
        endpoints.MapSimulatorAdmin();
        return endpoints;
    }
}
