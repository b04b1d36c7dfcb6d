namespace Defender.AppHost.Hosting;

/// <summary>
/// Something the AppHost starts and stops (Aspire's resource model, thin). A resource starts once every resource it
/// waits for is ready, and stops only after every resource waiting for it has stopped.
/// </summary>
public interface IResource
{
    string Name { get; }

    /// <summary>The resources that must be ready before this one starts (<c>WaitFor</c>).</summary>
    IReadOnlyList<IResource> Dependencies { get; }

    /// <summary>Starts the resource and returns once it is ready (healthy) for its dependants.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops gracefully; once <paramref name="forceStop"/> is cancelled (the grace period is over, or the person at the
    /// terminal pressed Ctrl+C a second time) it stops at once. Does nothing for a resource that never started.
    /// </summary>
    Task StopAsync(CancellationToken forceStop);
}
