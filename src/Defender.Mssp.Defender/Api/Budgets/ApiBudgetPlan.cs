using Defender.Mssp.Defender.Configuration;

namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>
/// One API's limits, resolved from configuration once: what its tenant budgets and its app-wide budget are made of.
/// </summary>
internal sealed record ApiBudgetPlan(
    string Api, IReadOnlyList<RateLimit> TenantLimits, double TenantBurstFraction,
    string AppScope, IReadOnlyList<RateLimit> AppLimits, double AppBurstFraction, TimeSpan Margin)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The plan of every configured API. APIs sharing an app scope share its budget, at the strictest of their
    /// app-wide limits.
    /// </summary>
    public static IReadOnlyDictionary<string, ApiBudgetPlan> Resolve(DefenderBudgetOptions options)
    {
        var scopes = options.Apis
            .GroupBy(api => ScopeOf(api.Key, api.Value), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                scope => scope.Key,
                scope => scope.Select(api => api.Value.AppPer10Seconds).Where(count => count > 0).Min(),
                StringComparer.OrdinalIgnoreCase);

        return options.Apis.ToDictionary(
            api => api.Key,
            api =>
            {
                var scope = ScopeOf(api.Key, api.Value);
                return new ApiBudgetPlan(
                    api.Key,
                    [.. Limits((api.Value.PerMinute, Minute), (api.Value.PerHour, Hour))],
                    api.Value.BurstFraction ?? options.BurstFraction,
                    scope,
                    [.. Limits((scopes[scope], TenSeconds))],
                    options.BurstFraction,
                    options.WindowMargin);
            },
            StringComparer.OrdinalIgnoreCase);
    }

    public RequestBudget NewTenantBudget() => New(TenantLimits, TenantBurstFraction);

    public RequestBudget NewAppBudget() => New(AppLimits, AppBurstFraction);

    private RequestBudget New(IReadOnlyList<RateLimit> limits, double burstFraction) =>
        new([.. limits.Select(limit => new TokenBucket(limit, burstFraction, Margin))]);

    private static string ScopeOf(string api, ApiBudgetOptions options) =>
        string.IsNullOrWhiteSpace(options.AppScope) ? api : options.AppScope;

    private static IEnumerable<RateLimit> Limits(params (int? Count, TimeSpan Window)[] limits) =>
        limits.Where(limit => limit.Count > 0).Select(limit => new RateLimit(limit.Count!.Value, limit.Window));
}
