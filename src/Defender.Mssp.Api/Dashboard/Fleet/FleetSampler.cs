using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Dashboard.Fleet;

/// <summary>
/// Samples the fleet every <see cref="DashboardOptions.SampleInterval"/> so the history is there when an operator opens
/// the dashboard. A dashboard read that refreshed the snapshot recently enough counts as the sample.
/// </summary>
public sealed class FleetSampler(FleetMonitor monitor, IOptions<DashboardOptions> options, TimeProvider time, ILogger<FleetSampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SampleInterval;
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await monitor.GetAsync(interval / 2, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Storage may be down; the history has a gap and the next tick tries again.
                    DashboardLog.SampleFailed(logger, e, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
