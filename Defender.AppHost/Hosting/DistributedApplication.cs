using System.Runtime.InteropServices;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Starts the resources in the order they were added (each waits until healthy, so a resource's dependencies are up
/// before it starts) and stops them in reverse order on Ctrl+C or SIGTERM.
/// </summary>
public sealed class DistributedApplication(IReadOnlyList<IResource> resources)
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => new(args);

    /// <summary>Runs until Ctrl+C/SIGTERM; <paramref name="whileRunning"/> gets a token cancelled at shutdown.</summary>
    public async Task RunAsync(Func<CancellationToken, Task>? whileRunning = null)
    {
        using var shutdown = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        var started = new List<IResource>();
        try
        {
            foreach (var resource in resources)
            {
                started.Add(resource);
                await resource.StartAsync(shutdown.Token).ConfigureAwait(false);
            }

            ConsoleLog.Info("all resources started; press Ctrl+C to stop");
            if (whileRunning is not null)
            {
                await whileRunning(shutdown.Token).ConfigureAwait(false);
            }

            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Ctrl+C: fall through to the orderly stop.
        }
        finally
        {
            ConsoleLog.Info("stopping");
            for (var i = started.Count - 1; i >= 0; i--)
            {
                await started[i].StopAsync(StopGrace).ConfigureAwait(false);
            }

            ConsoleLog.Info("stopped");
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            shutdown.Cancel();
        }
    }
}
