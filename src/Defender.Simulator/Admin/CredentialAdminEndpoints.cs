using Defender.Simulator.Tenants;

namespace Defender.Simulator.Admin;

/// <summary>
/// Certificate credentials of apps and the token request log, under <c>/simulator/tenants/{tenantId}</c>:
/// <c>POST …/apps/{clientId}/certificates</c> (a <see cref="ClientCertificateDefinition"/>, answers the key id),
/// <c>DELETE …/apps/{clientId}/certificates/{keyId}</c>, and <c>GET …/token-requests</c>.
/// </summary>
internal static class CredentialAdminEndpoints
{
    public static RouteGroupBuilder MapCredentialAdmin(this RouteGroupBuilder tenants)
    {
        tenants.MapPost("/{tenantId:guid}/apps/{clientId}/certificates", AddCertificate);
        tenants.MapDelete("/{tenantId:guid}/apps/{clientId}/certificates/{keyId:guid}", (Guid tenantId, string clientId, Guid keyId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => t.RemoveCertificate(clientId, keyId)
                ? Results.NoContent()
                : Results.Problem("No such certificate.", statusCode: StatusCodes.Status404NotFound)));
        tenants.MapGet("/{tenantId:guid}/token-requests", (Guid tenantId, TenantRegistry registry) =>
            WithTenant(registry, tenantId, t => Results.Ok(new TokenRequestLogView(t.TenantId, t.TokenRequests.Snapshot()))));
        return tenants;
    }

    private static IResult AddCertificate(Guid tenantId, string clientId, ClientCertificateDefinition certificate, TenantRegistry registry)
    {
        if (!RegisteredCertificate.IsValid(certificate.Certificate))
        {
            return Results.Problem("The certificate must be PEM or base64 DER.", statusCode: StatusCodes.Status400BadRequest);
        }

        return WithTenant(registry, tenantId, t => t.AddCertificate(clientId, certificate) is { } keyId
            ? Results.Created($"/simulator/tenants/{tenantId}/apps/{clientId}/certificates/{keyId}", new AddCertificateResponse(keyId))
            : Results.Problem($"No app {clientId} in this tenant.", statusCode: StatusCodes.Status404NotFound));
    }

    private static IResult WithTenant(TenantRegistry registry, Guid tenantId, Func<SimulatedTenant, IResult> action) =>
        registry.TryGet(tenantId, out var tenant)
            ? action(tenant)
            : Results.Problem($"No tenant {tenantId}.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>Answer of adding a certificate: the key id to remove it by.</summary>
public sealed record AddCertificateResponse(Guid KeyId);

/// <summary>A tenant's most recent token requests.</summary>
public sealed record TokenRequestLogView(Guid TenantId, IReadOnlyList<Diagnostics.TokenRequestLogEntry> Requests);
