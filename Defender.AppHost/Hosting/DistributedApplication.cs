using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Runs the resources: each starts as soon as the resources it waits for are ready (independent ones side by side),
/// and on Ctrl+C, SIGTERM or SIGHUP each stops only after everything waiting for it has stopped — silos before the
/// storage they save their state to. A second Ctrl+C stops whatever is left at once.
/// </summary>
public sealed class DistributedApplication
{
    /// <summary>How long one resource may take to stop gracefully before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public const int ExitCodeStopped = 0;

    public const int ExitCodeFailed = 1;

    private readonly IReadOnlyList<IResource> _resources;

    /// <param name="resources">In dependency order: every resource after the ones it waits for.</param>
    internal DistributedApplication(IReadOnlyList<IResource> resources)
    {
        _resources = resources;
    }

    /// <summary>A builder with the environment and the standard command-line syntax as configuration.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        new(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build());

    /// <summary>A builder with the environment and <paramref name="settings"/> (already parsed arguments) as configuration.</summary>
    public static DistributedApplicationBuilder CreateBuilder(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new(new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(settings).Build());

    /// <summary>
    /// Runs until a stop signal, or until <paramref name="stop"/> is cancelled, which is the same. <paramref name="whileRunning"/>
    /// is called once every resource is ready, with a token cancelled when stopping begins.
    /// </summary>
    /// <returns><see cref="ExitCodeStopped"/> after an orderly stop; <see cref="ExitCodeFailed"/> when a resource did not start.</returns>
    public async Task<int> RunAsync(Func<CancellationToken, Task>? whileRunning = null, CancellationToken stop = default)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var forcing = new CancellationTokenSource();
        var signals = 0;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        Exception? failure = null;
        try
        {
            await StartAllAsync(stopping, e => failure ??= e).ConfigureAwait(false);
            if (whileRunning is not null)
            {
                await whileRunning(stopping.Token).ConfigureAwait(false);
            }

            await Task.Delay(Timeout.Infinite, stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (failure is null && e is OperationCanceledException && stopping.IsCancellationRequested)
        {
            // A stop signal: on to the orderly stop.
        }
        catch (Exception e)
        {
            failure ??= e;
        }

        if (failure is not null)
        {
            ConsoleLog.Error($"failed: {failure.Message}");
        }

        ConsoleLog.Info("stopping: dependants first, each gracefully (Ctrl+C again to stop at once)");
        await StopAllAsync(forcing.Token).ConfigureAwait(false);
        ConsoleLog.Info("stopped");
        return failure is null ? ExitCodeStopped : ExitCodeFailed;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                ConsoleLog.Info($"{context.Signal} received");
                stopping.Cancel();
            }
            else
            {
                ConsoleLog.Info($"{context.Signal} received again: stopping everything at once");
                forcing.Cancel();
            }
        }
    }

    private async Task StartAllAsync(CancellationTokenSource stopping, Action<Exception> failed)
    {
        var started = new Dictionary<IResource, Task>();
        foreach (var resource in _resources)
        {
            started[resource] = StartOneAsync(resource, resource.Dependencies.Select(d => started[d]).ToList());
        }

        await Task.WhenAll(started.Values).ConfigureAwait(false);
        ConsoleLog.Info("every resource is ready");

        async Task StartOneAsync(IResource resource, IReadOnlyList<Task> dependencies)
        {
            try
            {
                await Task.WhenAll(dependencies).ConfigureAwait(false);
                stopping.Token.ThrowIfCancellationRequested();
                await resource.StartAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                // The first failure stops the start of everything else.
                failed(new InvalidOperationException($"{resource.Name}: {e.Message}", e));
                await stopping.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task StopAllAsync(CancellationToken forcing)
    {
        var stopped = new Dictionary<IResource, Task>();
        foreach (var resource in _resources.Reverse())
        {
            var dependants = _resources.Where(r => r.Dependencies.Contains(resource)).Select(r => stopped[r]).ToList();
            stopped[resource] = StopOneAsync(resource, dependants);
        }

        await Task.WhenAll(stopped.Values).ConfigureAwait(false);

        async Task StopOneAsync(IResource resource, IReadOnlyList<Task> dependants)
        {
            await Task.WhenAll(dependants).ConfigureAwait(false);
            using var force = CancellationTokenSource.CreateLinkedTokenSource(forcing);
            force.CancelAfter(StopGrace);
            try
            {
                await resource.StopAsync(force.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                ConsoleLog.Error($"{resource.Name} did not stop cleanly: {e.Message}");
            }
        }
    }
}
