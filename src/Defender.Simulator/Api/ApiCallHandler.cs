using Defender.Simulator.Diagnostics;
using Defender.Simulator.Faults;
using Defender.Simulator.Identity;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Api;

/// <summary>
/// What every Defender API call goes through before and after it is served: bearer token validation (the token's tid
/// selects the tenant), the isolation check against <c>X-Mssp-Tenant-Id</c>, injected faults, throttling, and the
/// per-tenant stats and call log.
/// </summary>
internal sealed class ApiCallHandler(
    TenantRegistry registry,
    AccessTokenValidator validator,
    ApiThrottling throttling,
    TimeProvider time,
    ILogger<ApiCallHandler> logger)
{
    public const string TenantHeader = "X-Mssp-Tenant-Id";
    public const string SiloHeader = "X-Mssp-Silo-Id";

    public async Task HandleAsync(HttpContext context, ApiSource source, Func<HttpContext, SimulatedTenant, DateTimeOffset, Task> serve)
    {
        var now = time.GetUtcNow();
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var headerTenant = request.Headers[TenantHeader].ToString();
        var siloId = request.Headers[SiloHeader].ToString() is { Length: > 0 } silo ? silo : null;

        var validation = validator.Validate(request.Headers.Authorization, source.Audiences, now, request.Host.Host);
        if (validation.Claims is not { } claims)
        {
            SimulatorLog.ApiUnauthorized(logger, path, validation.Failure!);
            await DefenderErrorResult.UnauthorizedAsync(context, validation.Failure!).ConfigureAwait(false);
            registry.UnattributedApiCall();
            if (registry.TryGet(headerTenant, out var named))
            {
                Record(named, context, source, now, siloId, clientId: null);
            }

            return;
        }

        if (!registry.TryGet(claims.TenantId, out var tenant))
        {
            registry.UnattributedApiCall();
            await DefenderErrorResult.InjectedAsync(context, StatusCodes.Status403Forbidden, 0, null).ConfigureAwait(false);
            return;
        }

        try
        {
            if (headerTenant.Length > 0 && !(Guid.TryParse(headerTenant, out var named) && named == claims.TenantId))
            {
                tenant.Stats.IsolationViolation();
                registry.RecordViolation(new IsolationViolation(now, claims.TenantId, headerTenant, path, siloId));
                SimulatorLog.IsolationViolation(logger, claims.TenantId, headerTenant, path, siloId);
                await DefenderErrorResult.UnauthorizedAsync(context, "The token was issued for another tenant.").ConfigureAwait(false);
                return;
            }

            if (tenant.TakeFault(source.FaultSource) is { } fault)
            {
                SimulatorLog.FaultInjected(logger, fault.Kind.ToString(), fault.Status, tenant.TenantId, source.Name);
                var finished = await FaultInjection.ApplyAsync(
                    context, fault, time,
                    (ctx, rule) => DefenderErrorResult.InjectedAsync(
                        ctx, rule.Status, FaultInjection.RetryAfter(rule), FaultInjection.RetryAfterHeader(ctx, rule, time.GetUtcNow())),
                    ctx => serve(ctx, tenant, time.GetUtcNow()),
                    RecordFields.For(source.Name)).ConfigureAwait(false);
                if (finished)
                {
                    return;
                }

                now = time.GetUtcNow();
            }

            if (throttling.Check(tenant, source.Name, claims.ClientId, now, out var limit) is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                SimulatorLog.Throttled(logger, tenant.TenantId, claims.ClientId, source.Name, limit!);
                await DefenderErrorResult.WriteAsync(context, StatusCodes.Status429TooManyRequests, "TooManyRequests",
                    $"API calls quota exceeded! Maximum allowed {limit}. Try again in {seconds} seconds.", seconds).ConfigureAwait(false);
                return;
            }

            await serve(context, tenant, now).ConfigureAwait(false);
        }
        finally
        {
            Record(tenant, context, source, now, siloId, claims.ClientId, claims.Audience);
        }
    }

    private static void Record(SimulatedTenant tenant, HttpContext context, ApiSource source, DateTimeOffset now, string? siloId, string? clientId, string? audience = null)
    {
        // An aborted connection (injected reset) never got a status; 0 says so.
        var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? 0 : context.Response.StatusCode;
        var request = context.Request;
        tenant.Stats.ApiCall(source.Name, status);
        tenant.Calls.Add(new CallLogEntry(
            now, request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", source.Name, status,
            request.Host.Value, siloId, clientId, audience));
    }
}
