using System.Security.Claims;
using Defender.Mssp.Api.Dashboard.Contracts;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Api.Dashboard.History;
using Defender.Mssp.Api.Endpoints;
using Defender.Mssp.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Dashboard.Hosting;

/// <summary>
/// The dashboard's routes. The page (<c>/</c>) and its files (<c>/dashboard/assets/{name}</c>) are anonymous: they are
/// the same for everyone and hold no data — a browser cannot send an API key on a navigation, and the page has to load
/// to ask for one. Everything with data (<c>/dashboard/session|overview|history</c>, the tenant errors) takes the API
/// key like the rest of the API, and the actions are the API's own pause/resume/poll endpoints.
/// </summary>
public static class DashboardEndpoints
{
    public const string AssetsPath = "/dashboard/assets";

    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http, DashboardAssets assets) => Serve(http, assets.Shell))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet(AssetsPath + "/{name}", (HttpContext http, string name, DashboardAssets assets) =>
                assets.Find(name) is { } asset && asset.Name != DashboardAssets.ShellName ? Serve(http, asset) : Results.NotFound())
            .AllowAnonymous()
            .ExcludeFromDescription();

        // Shaped for the page and changed with it, so not part of the API's OpenAPI contract.
        var data = app.MapGroup("/dashboard")
            .RequireAuthorization(ApiPolicies.Read)
            .RequireRateLimiting(ManagementRateLimiting.PolicyName)
            .AddEndpointFilter(async (context, next) =>
            {
                DashboardHeaders.ApplyToData(context.HttpContext.Response);
                return await next(context).ConfigureAwait(false);
            })
            .ExcludeFromDescription();
        data.MapGet("/session", SessionAsync);
        data.MapGet("/overview", OverviewAsync);
        data.MapGet("/history", (FleetHistory history, TimeProvider time) => TypedResults.Ok(DashboardProjection.History(history, time.GetUtcNow())));
        data.MapGet("/tenants/{tenantId}/errors", Errors);
        return app;
    }

    private static IResult Serve(HttpContext http, DashboardAsset asset)
    {
        DashboardHeaders.ApplyToAsset(http.Response);
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }

    private static async Task<IResult> SessionAsync(ClaimsPrincipal user, IAuthorizationService authorization, IOptions<DashboardOptions> options)
    {
        var canManage = (await authorization.AuthorizeAsync(user, ApiPolicies.Manage)).Succeeded;
        var roles = user.FindAll(ApiClaimTypes.Role).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new DashboardSession(Caller.NameOf(user), roles, canManage, options.Value.RefreshInterval));
    }

    private static async Task<IResult> OverviewAsync(FleetMonitor monitor, IOptions<DashboardOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var reading = await monitor.GetAsync(options.Value.MaxSnapshotAge, cancellationToken);
        return TypedResults.Ok(DashboardProjection.Overview(reading, time.GetUtcNow()));
    }

    private static IResult Errors(string tenantId, FleetHistory history)
    {
        if (!TenantEndpoints.TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        return TypedResults.Ok(new DashboardTenantErrors(id, history.ObservingSince, history.ErrorsOf(id)));
    }
}
