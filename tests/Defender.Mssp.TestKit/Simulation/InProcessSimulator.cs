using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.TestKit.Simulation;

/// <summary>
/// Starts Defender.Simulator inside the test process. The TestKit does not reference the simulator (most test
/// projects never host it), so its public entry point <c>SimulatorHost.StartAsync(X509Certificate2, TimeProvider?,
/// CancellationToken)</c> is found by name, as WebApplicationFactory finds an entry point: the test project that hosts
/// the simulator must reference src/Defender.Simulator.
/// </summary>
public static class InProcessSimulator
{
    private const string HostTypeName = "Defender.Simulator.Hosting.SimulatorHost, Defender.Simulator";

    /// <summary>Starts a simulator; dispose the returned host to stop it.</summary>
    public static async Task<RunningSimulator> StartAsync(X509Certificate2 certificate, TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        var hostType = Type.GetType(HostTypeName, throwOnError: false)
            ?? throw new InvalidOperationException(
                "Defender.Simulator is not loadable: add <ProjectReference Include=\"../../src/Defender.Simulator/Defender.Simulator.csproj\" /> to the test project.");
        var start = hostType.GetMethod("StartAsync", BindingFlags.Public | BindingFlags.Static, [typeof(X509Certificate2), typeof(TimeProvider), typeof(CancellationToken)])
            ?? throw new MissingMethodException(hostType.FullName, "StartAsync(X509Certificate2, TimeProvider, CancellationToken)");

        var task = (Task)start.Invoke(null, [certificate, timeProvider, cancellationToken])!;
        await task.ConfigureAwait(false);
        var host = (IAsyncDisposable)task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task)!;
        var baseAddress = (Uri)hostType.GetProperty("BaseAddress")!.GetValue(host)!;
        return new RunningSimulator(baseAddress, host);
    }
}

/// <summary>A simulator running in this process.</summary>
public sealed class RunningSimulator(Uri baseAddress, IAsyncDisposable host) : IAsyncDisposable
{
    /// <summary>The simulator's root, e.g. https://127.0.0.1:54321/.</summary>
    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>The simulator's own host object (Defender.Simulator.Hosting.SimulatorHost).</summary>
    public object Host { get; } = host;

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
