using Microsoft.Extensions.Hosting;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// Ties the providers to the host: resolving this hosted service builds them before any other hosted service starts
/// (it is registered first and started first), and once every other one has stopped it flushes what they recorded
/// while stopping. The container disposes the providers afterwards.
/// </summary>
internal sealed class OpenTelemetryLifetime(OpenTelemetryProviders providers) : IHostedLifecycleService
{
    /// <summary>How long stopping waits for the exporters; a collector that is down must not hold up shutdown.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        providers.ForceFlush(FlushTimeout);
        return Task.CompletedTask;
    }
}
