namespace Defender.Simulator.Tenants;

/// <summary>
/// A call whose <c>X-Mssp-Tenant-Id</c> header named another tenant than the token's <c>tid</c>: the product sent
/// one tenant's token with another tenant's request.
/// </summary>
public sealed record IsolationViolation(DateTimeOffset Time, Guid TokenTenantId, string HeaderTenantId, string Path, string? SiloId);
