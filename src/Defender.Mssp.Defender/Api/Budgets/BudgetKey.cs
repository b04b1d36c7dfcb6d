namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>
/// Whose budget: one app's calls to one tenant's API (<see cref="Tenant"/> set), or one app's calls across all its
/// tenants (<see cref="Tenant"/> null, <see cref="Api"/> the app-wide scope). Ids are compared case-insensitively.
/// </summary>
internal readonly record struct BudgetKey(string? Tenant, string Cloud, string ClientId, string Api)
{
    public static BudgetKey ForTenant(string tenantId, string cloud, string clientId, string api) =>
        new(tenantId.ToLowerInvariant(), cloud, clientId.ToLowerInvariant(), api);

    public static BudgetKey ForApp(string cloud, string clientId, string scope) => new(null, cloud, clientId.ToLowerInvariant(), scope);
}
