namespace Defender.AppHost.Hosting;

/// <summary>
/// A .NET project of this repository run as one or more processes (replicas), each on its own loopback port, with
/// the environment its references give it; healthy once its <c>/health</c> answers 200.
/// </summary>
public sealed class ProjectResource(string name, string projectDirectory) : IResource
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(90);
    private readonly Dictionary<string, Func<string>> _environment = new(StringComparer.Ordinal);
    private readonly List<ManagedProcess> _processes = [];
    private readonly List<IResource> _waitFor = [];

    public string Name => name;

    public int Replicas { get; private set; } = 1;

    public string Scheme { get; private set; } = "http";

    /// <summary>One base URL per replica, fixed before start so that dependants can be wired to them.</summary>
    public IReadOnlyList<Uri> Endpoints { get; private set; } = [];

    public IReadOnlyList<ManagedProcess> Processes => _processes;

    internal IReadOnlyList<IResource> Dependencies => _waitFor;

    public ProjectResource WithReplicas(int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        Replicas = replicas;
        return this;
    }

    public ProjectResource WithHttpsEndpoint()
    {
        Scheme = "https";
        return this;
    }

    /// <summary>Sets an environment variable; the value is computed at start, when referenced endpoints are known.</summary>
    public ProjectResource WithEnvironment(string key, Func<string> value)
    {
        _environment[key] = value;
        return this;
    }

    public ProjectResource WithEnvironment(string key, string value) => WithEnvironment(key, () => value);

    /// <summary>Starts this resource only after <paramref name="dependency"/> is healthy.</summary>
    public ProjectResource WaitFor(IResource dependency)
    {
        _waitFor.Add(dependency);
        return this;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Endpoints = Enumerable.Range(0, Replicas).Select(_ => new Uri($"{Scheme}://127.0.0.1:{FreePort.Next()}")).ToList();
        var assembly = ProjectPaths.Assembly(projectDirectory);
        for (var replica = 0; replica < Replicas; replica++)
        {
            var environment = _environment.ToDictionary(e => e.Key, e => e.Value(), StringComparer.Ordinal);
            environment["ASPNETCORE_URLS"] = Endpoints[replica].ToString();
            environment["DOTNET_ENVIRONMENT"] = environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            environment["REPLICA_INDEX"] = replica.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var processName = Replicas == 1 ? name : $"{name}-{replica}";
            var process = new ManagedProcess(processName, "dotnet", [assembly], environment, restartOnExit: true);
            process.Start();
            _processes.Add(process);
        }

        await Task.WhenAll(Endpoints.Select(e => HealthProbe.WaitUntilHealthyAsync(e, HealthTimeout, cancellationToken)))
            .ConfigureAwait(false);
        ConsoleLog.Info($"{name} healthy at {string.Join(", ", Endpoints)}");
    }

    public Task StopAsync(TimeSpan grace) => Task.WhenAll(_processes.Select(p => p.StopAsync(grace)));
}
