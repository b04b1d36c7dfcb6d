using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// Serves an API only for tenants whose definition lists it (<see cref="TenantDefinition.Sources"/>; all when empty).
/// Any other tenant gets the 403 a tenant without the license or permission for that API gets.
/// </summary>
internal static class ServedSources
{
    public static Func<HttpContext, SimulatedTenant, DateTimeOffset, Task> Only(
        string source, Func<HttpContext, SimulatedTenant, DateTimeOffset, Task> serve, bool graph = false) =>
        (context, tenant, now) => tenant.Serves(source) ? serve(context, tenant, now) : ForbiddenAsync(context, source, graph, now);

    private static Task ForbiddenAsync(HttpContext context, string source, bool graph, DateTimeOffset now)
    {
        var message = $"The tenant is not licensed for, or has not granted this application access to, the {source} API.";
        return graph
            ? GraphErrorResult.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", message, now)
            : DefenderErrorResult.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden", message);
    }
}
