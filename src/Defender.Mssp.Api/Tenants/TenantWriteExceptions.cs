namespace Defender.Mssp.Api.Tenants;

/// <summary>The tenant is not at the version the request's If-Match named (412).</summary>
public sealed class PreconditionFailedException(string tenantId)
    : Exception($"Tenant '{tenantId}' is not at the version the request named.")
{
    public string TenantId { get; } = tenantId;
}

/// <summary>A command that needs an active tenant was given to a paused one (409).</summary>
public sealed class TenantPausedException(string tenantId) : Exception($"Tenant '{tenantId}' is paused.")
{
    public string TenantId { get; } = tenantId;
}
