using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Security;
using Defender.Mssp.Api.Status;
using Defender.Mssp.Api.Tenants;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Endpoints;

/// <summary>
/// Commands to a tenant's grain (pause, resume, poll now) and its status. Commands are written into the tenant's
/// document; the owning silo reads the catalogue every balancing interval and acts on them.
/// </summary>
public static class TenantCommandEndpoints
{
    public static RouteGroupBuilder MapTenantCommandEndpoints(this RouteGroupBuilder tenants)
    {
        tenants.MapPost(TenantEndpoints.TenantRoute + "/pause", PauseAsync)
            .WithName("PauseTenant").WithSummary("Stop polling the tenant until it is resumed; honours If-Match.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        tenants.MapPost(TenantEndpoints.TenantRoute + "/resume", ResumeAsync)
            .WithName("ResumeTenant").WithSummary("Poll the tenant again; honours If-Match.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Produces<TenantResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        tenants.MapPost(TenantEndpoints.TenantRoute + "/poll", PollAsync)
            .WithName("PollTenantNow").WithSummary("Ask the owning grain to poll now, sources backing off included.")
            .RequireAuthorization(ApiPolicies.Manage)
            .Produces<PollAccepted>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        tenants.MapGet(TenantEndpoints.TenantRoute + "/status", StatusAsync)
            .WithName("GetTenantStatus").WithSummary("Owner silo, health, last poll, per-source checkpoint and lag, records delivered, token expiry, last error.")
            .RequireAuthorization(ApiPolicies.Read)
            .Produces<TenantStatusResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return tenants;
    }

    private static Task<IResult> PauseAsync(HttpContext http, string tenantId, TenantWriter writer, CancellationToken cancellationToken) =>
        SetPausedAsync(http, tenantId, writer, paused: true, cancellationToken);

    private static Task<IResult> ResumeAsync(HttpContext http, string tenantId, TenantWriter writer, CancellationToken cancellationToken) =>
        SetPausedAsync(http, tenantId, writer, paused: false, cancellationToken);

    private static async Task<IResult> SetPausedAsync(HttpContext http, string tenantId, TenantWriter writer, bool paused, CancellationToken cancellationToken)
    {
        if (!TenantEndpoints.TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        // Pausing a paused tenant changes nothing and writes nothing: the command is idempotent.
        var stored = await writer.UpdateAsync(id, IfMatch.From(http.Request), paused ? "paused" : "resumed",
            document => document.Paused == paused ? document : document with { Paused = paused },
            Caller.NameOf(http.User), cancellationToken);
        TenantEndpoints.SetETag(http, stored);
        return TypedResults.Ok(TenantResponses.From(stored.Document));
    }

    private static async Task<IResult> PollAsync(HttpContext http, string tenantId, TenantWriter writer, CancellationToken cancellationToken)
    {
        if (!TenantEndpoints.TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        var stored = await writer.UpdateAsync(id, IfMatch.From(http.Request), "poll requested", document =>
            {
                if (document.Paused)
                {
                    throw new TenantPausedException(id);
                }

                var sequence = (document.PollRequest?.Sequence ?? 0) + 1;
                return document with { PollRequest = new PollRequest { Sequence = sequence, RequestedAt = writer.Now } };
            },
            Caller.NameOf(http.User), cancellationToken);
        TenantEndpoints.SetETag(http, stored);
        var request = stored.Document.PollRequest!;
        return TypedResults.Accepted($"/tenants/{id}/status", new PollAccepted(id, request.Sequence, request.RequestedAt));
    }

    private static async Task<IResult> StatusAsync(string tenantId, TenantStatusReader reader, CancellationToken cancellationToken)
    {
        if (!TenantEndpoints.TryTenantId(tenantId, out var id, out var invalid))
        {
            return invalid;
        }

        return await reader.ReadAsync(id, cancellationToken) is { } status ? TypedResults.Ok(status) : ApiProblems.TenantNotFound(id);
    }
}
