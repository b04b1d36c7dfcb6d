using Defender.Simulator.Diagnostics;
using Defender.Simulator.Faults;
using Defender.Simulator.Records;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Admin;

/// <summary>
/// The admin API under <c>/simulator</c> (JSON, camelCase, no authentication, loopback only): tenants and their apps,
/// secrets, consent, faults and generator; statistics, call logs, isolation violations, the ground truth, and the
/// API rate limits in force.
/// </summary>
internal static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorAdmin(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/simulator").AddEndpointFilter<LoopbackOnlyFilter>();

        admin.MapGet("/info", (TenantRegistry registry, TimeProvider time) => new SimulatorInfo(time.GetUtcNow(), registry.Count));
        admin.MapGet("/stats", (TenantRegistry registry) =>
            new SimulatorStatsView(registry.GlobalStats(), [.. registry.All.Select(t => t.Stats.Snapshot(t.TenantId))]));
        admin.MapGet("/isolation-violations", (TenantRegistry registry) => registry.Violations);
        admin.MapThrottlingEndpoints();

        var tenants = admin.MapGroup("/tenants");
        tenants.MapGet("/", (TenantRegistry registry) => registry.All.Select(t => t.ToView()).ToList());
        tenants.MapPost("/", AddTenant);
        tenants.MapPut("/{tenantId:guid}", PutTenant);
        tenants.MapGet("/{tenantId:guid}", (Guid tenantId, TenantRegistry registry) =>
            registry.TryGet(tenantId, out var tenant) ? Results.Ok(tenant.ToView()) : NotFound(tenantId));
        tenants.MapDelete("/{tenantId:guid}", (Guid tenantId, TenantRegistry registry) =>
            registry.Remove(tenantId) ? Results.NoContent() : NotFound(tenantId));

        tenants.MapPut("/{tenantId:guid}/faults", (Guid tenantId, List<FaultRule> faults, TenantRegistry registry) =>
            FaultProblem(faults) ?? WithTenant(registry, tenantId, t => { t.SetFaults(faults); return Results.Ok(t.ToView().Faults); }));
        tenants.MapPost("/{tenantId:guid}/faults", (Guid tenantId, FaultRule fault, TenantRegistry registry) =>
            FaultProblem([fault]) ?? WithTenant(registry, tenantId, t => { t.AddFault(fault); return Results.Ok(t.ToView().Faults); }));
        tenants.MapDelete("/{tenantId:guid}/faults", (Guid tenantId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => { t.SetFaults([]); return Results.NoContent(); }));

        tenants.MapPut("/{tenantId:guid}/apps/{clientId}", PutApp);
        tenants.MapDelete("/{tenantId:guid}/apps/{clientId}", (Guid tenantId, string clientId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => t.RemoveApp(clientId) ? Results.NoContent() : AppNotFound(clientId)));
        tenants.MapPost("/{tenantId:guid}/apps/{clientId}/secrets", AddSecret);
        tenants.MapDelete("/{tenantId:guid}/apps/{clientId}/secrets/{keyId:guid}", (Guid tenantId, string clientId, Guid keyId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => t.RevokeSecret(clientId, keyId) ? Results.NoContent() : Results.Problem("No such secret.", statusCode: 404)));
        tenants.MapPut("/{tenantId:guid}/apps/{clientId}/consent", (Guid tenantId, string clientId, ConsentRequest body, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => t.SetConsent(clientId, body.Granted) ? Results.NoContent() : AppNotFound(clientId)));

        tenants.MapPost("/{tenantId:guid}/generator/stop", StopGenerator);
        tenants.MapGet("/{tenantId:guid}/stats", (Guid tenantId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => Results.Ok(t.Stats.Snapshot(t.TenantId))));
        tenants.MapGet("/{tenantId:guid}/calls", (Guid tenantId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => Results.Ok(new CallLogView(t.TenantId, t.Calls.Total, t.Calls.Snapshot()))));
        tenants.MapGet("/{tenantId:guid}/truth/{source}", Truth);
        tenants.MapCredentialAdmin();
        return endpoints;
    }

    private static IResult AddTenant(TenantDefinition definition, TenantRegistry registry)
    {
        if (definition.TenantId == Guid.Empty)
        {
            definition.TenantId = Guid.NewGuid();
        }

        if (registry.TryGet(definition.TenantId, out _))
        {
            return Results.Problem($"Tenant {definition.TenantId} exists; PUT replaces it.", statusCode: StatusCodes.Status409Conflict);
        }

        return TenantDefinitionValidator.Validate(definition) is { } error
            ? Results.Problem(error, statusCode: StatusCodes.Status400BadRequest)
            : Results.Created($"/simulator/tenants/{definition.TenantId}", registry.Put(definition).ToView());
    }

    private static IResult PutTenant(Guid tenantId, TenantDefinition definition, TenantRegistry registry)
    {
        definition.TenantId = tenantId;
        return TenantDefinitionValidator.Validate(definition) is { } error
            ? Results.Problem(error, statusCode: StatusCodes.Status400BadRequest)
            : Results.Ok(registry.Put(definition).ToView());
    }

    private static IResult PutApp(Guid tenantId, string clientId, AppRegistration app, TenantRegistry registry)
    {
        app.ClientId = clientId;
        if (app.Secrets.Any(s => string.IsNullOrEmpty(s.Value)))
        {
            return Results.Problem("Every secret needs a value.", statusCode: StatusCodes.Status400BadRequest);
        }

        return WithTenant(registry, tenantId, t =>
        {
            t.PutApp(app);
            return Results.Ok(t.ToView().Apps.First(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase)));
        });
    }

    private static IResult AddSecret(Guid tenantId, string clientId, ClientSecretDefinition secret, TenantRegistry registry)
    {
        if (string.IsNullOrEmpty(secret.Value))
        {
            return Results.Problem("The secret needs a value.", statusCode: StatusCodes.Status400BadRequest);
        }

        return WithTenant(registry, tenantId, t => t.AddSecret(clientId, secret) is { } keyId
            ? Results.Created($"/simulator/tenants/{tenantId}/apps/{clientId}/secrets/{keyId}", new AddSecretResponse(keyId))
            : AppNotFound(clientId));
    }

    private static IResult StopGenerator(
        Guid tenantId, StopGeneratorRequest? body, TenantRegistry registry, TimeProvider time, ILogger<TenantRegistry> logger) =>
        WithTenant(registry, tenantId, t =>
        {
            var stop = t.World.Stop(body?.At ?? time.GetUtcNow());
            SimulatorLog.GeneratorStopped(logger, tenantId, stop);
            return Results.Ok(new StopGeneratorResponse(stop));
        });

    private static IResult Truth(Guid tenantId, string source, bool? includeRecords, TenantRegistry registry, TimeProvider time) =>
        WithTenant(registry, tenantId, t =>
        {
            var now = time.GetUtcNow();
            var records = includeRecords ?? false;
            var name = source.ToLowerInvariant();
            if (SimulatedApis.IsKnown(name) && !t.Serves(name))
            {
                return Results.Ok(Array.Empty<TruthEntry>()); // an API the tenant does not serve has served nothing
            }

            return name switch
            {
                "incidents" => Results.Ok(t.World.IncidentTruth(now, records)),
                "siem" => Results.Ok(t.World.SiemTruth(now, records)),
                "alerts" => Results.Ok(t.World.AlertTruth(now, AlertFeed.Endpoint, records)),
                "graph-alerts" => Results.Ok(t.World.AlertTruth(now, AlertFeed.Graph, records)),
                "graph-incidents" => Results.Ok(t.World.GraphIncidentTruth(now, records)),
                _ => Results.Problem(
                    $"Unknown source '{source}'; use {string.Join(", ", SimulatedApis.All)}.", statusCode: StatusCodes.Status404NotFound),
            };
        });

    private static IResult? FaultProblem(IEnumerable<FaultRule> faults) =>
        faults.Select(f => f.Problem()).FirstOrDefault(p => p is not null) is { } problem
            ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
            : null;

    private static IResult WithTenant(TenantRegistry registry, Guid tenantId, Func<SimulatedTenant, IResult> action) =>
        registry.TryGet(tenantId, out var tenant) ? action(tenant) : NotFound(tenantId);

    private static IResult NotFound(Guid tenantId) => Results.Problem($"No tenant {tenantId}.", statusCode: StatusCodes.Status404NotFound);

    private static IResult AppNotFound(string clientId) => Results.Problem($"No app {clientId} in this tenant.", statusCode: StatusCodes.Status404NotFound);
}
