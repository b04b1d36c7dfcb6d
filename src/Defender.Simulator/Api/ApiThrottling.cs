using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Api;

/// <summary>
/// Enforces the API rate limits, keyed by API name (<see cref="ApiSource.Name"/>), so an endpoint gets them by
/// passing its name. Per tenant, an app's calls count against the tenant's own <see cref="ThrottlingSettings"/> when
/// it has them, else against <see cref="ThrottlingOptions"/>; across tenants, an app's calls count against the
/// app-wide limit of the API's scope (Graph's 130,000 per 10 s). The simulator-wide limits can be replaced at run time.
/// </summary>
internal sealed class ApiThrottling(IOptions<SimulatorOptions> options)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Scope, string ClientId), ThrottleWindow> _apps = [];
    private ThrottlingOptions _options = options.Value.Throttling.Copy();

    /// <summary>A copy of the simulator-wide limits in force.</summary>
    public ThrottlingOptions Current
    {
        get
        {
            lock (_gate)
            {
                return _options.Copy();
            }
        }
    }

    /// <summary>Puts <paramref name="limits"/> in force for every tenant without limits of its own; counts carry on.</summary>
    public void Replace(ThrottlingOptions limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var copy = limits.Copy();
        lock (_gate)
        {
            _options = copy;
        }
    }

    /// <summary>
    /// Counts a call of <paramref name="clientId"/> to <paramref name="api"/> of <paramref name="tenant"/>; returns
    /// how long the caller must wait when a limit is full (the call is then not counted against that limit), else null.
    /// </summary>
    public TimeSpan? Check(SimulatedTenant tenant, string api, string clientId, DateTimeOffset now, out string? exceeded)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        exceeded = null;
        ApiRateLimitOptions? global;
        lock (_gate)
        {
            global = _options.Enabled && _options.Apis.TryGetValue(api, out var configured) ? configured : null;
            if (global is { AppPer10Seconds: > 0 } app)
            {
                var scope = string.IsNullOrWhiteSpace(app.AppScope) ? api : app.AppScope;
                var key = (scope.ToLowerInvariant(), clientId.ToLowerInvariant());
                if (!_apps.TryGetValue(key, out var window))
                {
                    _apps[key] = window = new ThrottleWindow();
                }

                if (window.TryAcquire(now, [new RateLimit(app.AppPer10Seconds.Value, TenSeconds)], out var appLimit) is { } appWait)
                {
                    exceeded = appLimit + " per app";
                    return appWait;
                }
            }
        }

        var own = TenantLimits(tenant.Throttling, api) ?? global;
        return own is null ? null : tenant.Throttle(api, clientId, Limits(own), now, out exceeded);
    }

    /// <summary>A tenant's own limits for an API: its <c>Apis</c> entry, else the classic incidents/SIEM fields.</summary>
    private static ApiRateLimitOptions? TenantLimits(ThrottlingSettings? settings, string api) => settings switch
    {
        null => null,
        { Apis: { } apis } when apis.TryGetValue(api, out var limits) => limits,
        _ when api == ApiSource.IncidentsName => new() { PerMinute = settings.IncidentsPerMinute, PerHour = settings.IncidentsPerHour },
        _ when api == ApiSource.SiemName => new() { PerMinute = settings.SiemPerMinute, PerHour = settings.SiemPerHour },
        _ => null,
    };

    private static List<RateLimit> Limits(ApiRateLimitOptions options)
    {
        var limits = new List<RateLimit>(2);
        if (options.PerMinute is int perMinute && perMinute > 0)
        {
            limits.Add(new RateLimit(perMinute, Minute));
        }

        if (options.PerHour is int perHour && perHour > 0)
        {
            limits.Add(new RateLimit(perHour, Hour));
        }

        return limits;
    }
}
