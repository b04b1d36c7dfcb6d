using System.Collections.Concurrent;
using Defender.Mssp.Grains;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// The grains running in this silo, by tenant id, so that operators' commands read from the tenant catalogue reach
/// them: a "poll now" for a tenant whose grain runs here wakes it; one for a tenant owned elsewhere is that silo's.
/// </summary>
internal sealed partial class ActiveGrains(ILogger<ActiveGrains> logger) : IPollRequestHandler
{
    private readonly ConcurrentDictionary<string, TenantGrain> _grains = new(StringComparer.Ordinal);

    /// <summary>Tracks <paramref name="grain"/> until <paramref name="completion"/> (its activation ending).</summary>
    public void Add(TenantGrain grain, Task completion)
    {
        _grains[grain.TenantId] = grain;
        _ = completion.ContinueWith(
            _ => _grains.TryRemove(KeyValuePair.Create(grain.TenantId, grain)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void OnPollRequested(string tenantId, PollRequest request)
    {
        if (_grains.TryGetValue(tenantId, out var grain))
        {
            grain.RequestPollNow();
            LogPollNow(logger, tenantId, request.Sequence);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId}: poll now (request {Sequence}) handed to its grain")]
    private static partial void LogPollNow(ILogger logger, string tenantId, long sequence);
}
