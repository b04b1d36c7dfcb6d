using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Status;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>The cluster view (<c>GET /cluster</c>).</summary>
public static class ClusterEndpoints
{
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cluster", ReadAsync)
            .WithTags("Cluster")
            .WithName("GetCluster").WithSummary("Live silos and how the tenants are spread over them.")
            .RequireAuthorization(ApiPolicies.Read)
            .RequireRateLimiting(ManagementRateLimiting.PolicyName)
            .Produces<ClusterResponse>()
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> ReadAsync(ClusterReader reader, CancellationToken cancellationToken, string? includeTenants = null)
    {
        if (!TenantEndpoints.TryParseFlag(includeTenants, out var include))
        {
            return ApiProblems.Invalid("includeTenants", "Must be true or false.");
        }

        return TypedResults.Ok(await reader.ReadAsync(include, cancellationToken));
    }
}
