using Defender.Mssp.Api.Dashboard.History;

namespace Defender.Mssp.Api.Dashboard.Contracts;

/// <summary>A tenant's recent distinct errors, newest first, as observed since <see cref="ObservingSince"/> (<c>GET /dashboard/tenants/{tenantId}/errors</c>).</summary>
public sealed record DashboardTenantErrors(string TenantId, DateTimeOffset? ObservingSince, IReadOnlyList<ObservedError> Errors);
