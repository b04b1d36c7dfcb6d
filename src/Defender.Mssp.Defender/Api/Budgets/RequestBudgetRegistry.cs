using System.Collections.Concurrent;
using System.Globalization;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>
/// Every request budget of this process: one per (tenant, app, API) and one per (app, app-wide scope) where the API
/// limits an app across tenants. <see cref="WaitAsync"/> holds a request until all its budgets have room;
/// <see cref="Throttled"/> pauses a tenant's budget for the Retry-After of a 429, so its other requests wait too.
/// <para>
/// State stays bounded however many tenants come and go: a budget whose buckets have refilled is as good as new, so
/// a sweep (at most once per <see cref="SweepInterval"/>, by whichever request comes first) forgets it.
/// </para>
/// </summary>
internal sealed partial class RequestBudgetRegistry
{
    /// <summary>
    /// How often idle budgets are looked for. A tenant polled once a minute refills its buckets within seconds (the
    /// default limits give a token back every 1.3 s and 2.7 s), so a sweep every few seconds keeps budgets for about
    /// a tenth of idle tenants instead of about half (issue 9: some 700 bytes per tenant), for one pass over the few
    /// budgets alive.
    /// </summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<BudgetKey, RequestBudget> _budgets = new();
    private readonly ConcurrentDictionary<string, ApiBudgetPlan> _plans;
    private readonly DefenderBudgetOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RequestBudgetRegistry> _logger;
    private readonly DefenderBudgetMetrics? _metrics;
    private long _nextSweep = long.MinValue;

    public RequestBudgetRegistry(
        IOptions<DefenderBudgetOptions> options,
        TimeProvider timeProvider,
        ILogger<RequestBudgetRegistry> logger,
        DefenderBudgetMetrics? metrics = null)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
        _plans = new(ApiBudgetPlan.Resolve(_options), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Budgets held now (tenant and app-wide); idle ones go at the next sweep.</summary>
    public int Count => _budgets.Count;

    /// <summary>
    /// Completes when <paramref name="tenant"/>'s budgets for <paramref name="api"/> let one more request go, having
    /// spent it. Cancelling gives the request's tokens back.
    /// </summary>
    /// <exception cref="DefenderApiException">
    /// 429 <c>BudgetExhausted</c>: the wait would exceed <see cref="DefenderBudgetOptions.MaxWait"/>; nothing was
    /// spent, and <see cref="DefenderApiException.RetryAfter"/> says when the budget has room.
    /// </exception>
    public ValueTask WaitAsync(string api, TenantSettings tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!_options.Enabled)
        {
            return ValueTask.CompletedTask;
        }

        var now = Now();
        Sweep(now);
        var plan = PlanFor(api);
        var (granted, tenantBudget, appBudget, at) = Reserve(plan, tenant, now);
        // Timers count whole milliseconds and drop the rest: round up, so a request never goes before its token.
        var wait = TimeSpan.FromMilliseconds(Math.Ceiling(TimeSpan.FromTicks(at - now).TotalMilliseconds));
        if (!granted)
        {
            return ValueTask.FromException(Exhausted(api, tenant, wait));
        }

        return wait <= TimeSpan.Zero
            ? ValueTask.CompletedTask
            : WaitOutAsync(api, tenant, wait, tenantBudget, appBudget, cancellationToken);
    }

    /// <summary>
    /// The service answered 429 with <paramref name="retryAfter"/>: <paramref name="tenant"/>'s budget for
    /// <paramref name="api"/> sends nothing before then and starts again from empty.
    /// </summary>
    public void Throttled(string api, TenantSettings tenant, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!_options.Enabled || retryAfter <= TimeSpan.Zero)
        {
            return;
        }

        var now = Now();
        var plan = PlanFor(api);
        var key = TenantKey(plan, tenant);
        while (true)
        {
            var budget = _budgets.GetOrAdd(key, static (_, p) => p.NewTenantBudget(), plan);
            lock (budget.Gate)
            {
                if (budget.Retired)
                {
                    continue;
                }

                budget.Pause(now + retryAfter.Ticks);
                break;
            }
        }

        LogPaused(tenant.TenantId, api, retryAfter);
    }

    /// <summary>Forgets budgets that are as good as new, at most once per <see cref="SweepInterval"/>.</summary>
    internal void Sweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + SweepInterval.Ticks, due) != due)
        {
            return;
        }

        foreach (var (key, budget) in _budgets)
        {
            lock (budget.Gate)
            {
                if (budget.IsIdle(now))
                {
                    // Retired under the lock: a caller that fetched it before the removal sees this and fetches anew.
                    budget.Retire();
                    _budgets.TryRemove(new KeyValuePair<BudgetKey, RequestBudget>(key, budget));
                }
            }
        }
    }

    /// <summary>
    /// Spends a token of every budget of the request at the earliest instant all of them have one, and returns the
    /// budgets and that instant; when that is further off than <see cref="DefenderBudgetOptions.MaxWait"/> nothing is
    /// spent (<c>Granted</c> false).
    /// </summary>
    private (bool Granted, RequestBudget? Tenant, RequestBudget? App, long At) Reserve(ApiBudgetPlan plan, TenantSettings tenant, long now)
    {
        var tenantKey = TenantKey(plan, tenant);
        var appKey = plan.AppLimits.Count > 0 ? BudgetKey.ForApp(tenant.Cloud.ToString(), tenant.ClientId, plan.AppScope) : (BudgetKey?)null;
        while (true)
        {
            // An API without per-tenant limits only ever has a tenant budget here while a 429 pauses it.
            RequestBudget? tenantBudget;
            if (plan.TenantLimits.Count > 0)
            {
                tenantBudget = _budgets.GetOrAdd(tenantKey, static (_, p) => p.NewTenantBudget(), plan);
            }
            else if (!_budgets.TryGetValue(tenantKey, out tenantBudget) && appKey is null)
            {
                return (true, null, null, now);
            }

            var appBudget = appKey is { } key ? _budgets.GetOrAdd(key, static (_, p) => p.NewAppBudget(), plan) : null;

            // Lock order: tenant budget, then app budget; nobody holding an app budget's lock takes another lock.
            tenantBudget?.Gate.Enter();
            try
            {
                appBudget?.Gate.Enter();
                try
                {
                    if (tenantBudget?.Retired == true || appBudget?.Retired == true)
                    {
                        continue;
                    }

                    var at = Math.Max(tenantBudget?.ReadyAt(now) ?? now, appBudget?.ReadyAt(now) ?? now);
                    if (at - now > _options.MaxWait.Ticks)
                    {
                        return (false, null, null, at);
                    }

                    tenantBudget?.Take(at);
                    appBudget?.Take(at);
                    return (true, tenantBudget, appBudget, at);
                }
                finally
                {
                    appBudget?.Gate.Exit();
                }
            }
            finally
            {
                tenantBudget?.Gate.Exit();
            }
        }
    }

    private async ValueTask WaitOutAsync(
        string api, TenantSettings tenant, TimeSpan wait, RequestBudget? tenantBudget, RequestBudget? appBudget,
        CancellationToken cancellationToken)
    {
        _metrics?.Waited(api, wait);
        LogWaiting(tenant.TenantId, api, wait);
        try
        {
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Return(tenantBudget, appBudget);
            throw;
        }
    }

    private static void Return(RequestBudget? tenantBudget, RequestBudget? appBudget)
    {
        if (tenantBudget is not null)
        {
            lock (tenantBudget.Gate)
            {
                tenantBudget.Return();
            }
        }

        if (appBudget is not null)
        {
            lock (appBudget.Gate)
            {
                appBudget.Return();
            }
        }
    }

    private DefenderApiException Exhausted(string api, TenantSettings tenant, TimeSpan wait)
    {
        _metrics?.Exhausted(api);
        LogExhausted(tenant.TenantId, api, wait);
        return new DefenderApiException(api, 429, string.Create(CultureInfo.InvariantCulture,
            $"{api} API for tenant '{tenant.TenantId}': the request budget has no room for {wait.TotalSeconds:0.###} s " +
            $"(more than Defender:Budgets:MaxWait, {_options.MaxWait.TotalSeconds:0.###} s); the request was not sent"),
            errorCode: "BudgetExhausted", retryAfter: wait);
    }

    private ApiBudgetPlan PlanFor(string api) =>
        _plans.GetOrAdd(api, static (name, margin) => new ApiBudgetPlan(name, [], 1, name, [], 1, margin), _options.WindowMargin);

    private static BudgetKey TenantKey(ApiBudgetPlan plan, TenantSettings tenant) =>
        BudgetKey.ForTenant(tenant.TenantId, tenant.Cloud.ToString(), tenant.ClientId, plan.Api);

    private long Now() => _timeProvider.GetUtcNow().UtcTicks;

    [LoggerMessage(EventId = 1250, Level = LogLevel.Debug,
        Message = "{Source} request for tenant {TenantId} waits {Delay} for its request budget")]
    private partial void LogWaiting(string tenantId, string source, TimeSpan delay);

    [LoggerMessage(EventId = 1251, Level = LogLevel.Information,
        Message = "{Source} API throttled tenant {TenantId}: its requests are held for {RetryAfter}")]
    private partial void LogPaused(string tenantId, string source, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1252, Level = LogLevel.Warning,
        Message = "{Source} request for tenant {TenantId} not sent: its request budget has no room for {Delay}")]
    private partial void LogExhausted(string tenantId, string source, TimeSpan delay);
}
