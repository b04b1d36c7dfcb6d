using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Hosting;

/// <summary>
/// A .NET project of this repository run as one or more processes (replicas), each on its own loopback port, with
/// the environment its references give it; ready once every replica's <c>/health</c> answers 200 and the
/// <see cref="OnReady"/> callbacks have run. Replicas that die are restarted.
/// </summary>
public sealed class ProjectResource : IResource
{
    /// <summary>A cold start of four .NET processes on a two-core machine takes a while; a broken one never answers.</summary>
    public static readonly TimeSpan DefaultHealthTimeout = TimeSpan.FromSeconds(120);

    public const string EnvironmentName = "Development";

    private readonly Dictionary<string, Func<string?>> _environment = new(StringComparer.Ordinal);
    private readonly List<Func<ProjectResource, CancellationToken, Task>> _onReady = [];
    private readonly List<ManagedProcess> _processes = [];
    private readonly List<IResource> _waitFor = [];
    private readonly string _projectDirectory;
    private readonly IConfiguration _hostConfiguration;
    private readonly string _runId;
    private int? _port;
    private bool _otlp;

    internal ProjectResource(string name, string projectDirectory, IConfiguration hostConfiguration, string runId)
    {
        Name = name;
        _projectDirectory = projectDirectory;
        _hostConfiguration = hostConfiguration;
        _runId = runId;
    }

    public string Name { get; }

    public int Replicas { get; private set; } = 1;

    public string Scheme { get; private set; } = "http";

    /// <summary>One base URL per replica, chosen when the resource starts, so dependants can be wired to them.</summary>
    public IReadOnlyList<Uri> Endpoints { get; private set; } = [];

    public IReadOnlyList<ManagedProcess> Processes => _processes;

    public IReadOnlyList<IResource> Dependencies => _waitFor;

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

    /// <summary>Listens on <paramref name="port"/>, or on a free port picked at start when null (the default).</summary>
    public ProjectResource WithHttpEndpoint(int? port = null)
    {
        Scheme = "http";
        _port = port;
        return this;
    }

    /// <summary>
    /// Sets an environment variable, computed at start (when referenced endpoints are known); a null value removes a
    /// variable the AppHost's own environment would otherwise pass on.
    /// </summary>
    public ProjectResource WithEnvironment(string key, Func<string?> value)
    {
        _environment[key] = value;
        return this;
    }

    public ProjectResource WithEnvironment(string key, string? value) => WithEnvironment(key, () => value);

    /// <summary>Starts this resource only once <paramref name="dependency"/> is ready.</summary>
    public ProjectResource WaitFor(IResource dependency)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        if (!_waitFor.Contains(dependency))
        {
            _waitFor.Add(dependency);
        }

        return this;
    }

    /// <summary>Runs <paramref name="callback"/> once every replica is healthy, before dependants are started.</summary>
    public ProjectResource OnReady(Func<ProjectResource, CancellationToken, Task> callback)
    {
        _onReady.Add(callback);
        return this;
    }

    /// <summary>Passes the AppHost's OpenTelemetry settings on, with a service name and instance id per process (<see cref="OtlpEnvironment"/>).</summary>
    public ProjectResource WithOtlpExporter()
    {
        _otlp = true;
        return this;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_port is not null && Replicas > 1)
        {
            throw new InvalidOperationException($"'{Name}' has {Replicas} replicas; they cannot share the fixed port {_port}.");
        }

        if (_port is { } fixedPort && !FreePort.IsFree(fixedPort))
        {
            throw new InvalidOperationException($"port {fixedPort} is in use; choose another or leave the port to the AppHost.");
        }

        var assembly = ProjectPaths.Assembly(_projectDirectory);
        Endpoints = Enumerable.Range(0, Replicas)
            .Select(_ => new Uri($"{Scheme}://127.0.0.1:{_port ?? FreePort.Next()}"))
            .ToList();
        for (var replica = 0; replica < Replicas; replica++)
        {
            var processName = Replicas == 1 ? Name : $"{Name}-{replica}";
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (_otlp)
            {
                foreach (var (key, value) in OtlpEnvironment.For(_hostConfiguration, Name, $"{processName}-{_runId}"))
                {
                    environment[key] = value;
                }
            }

            foreach (var (key, value) in _environment)
            {
                environment[key] = value();
            }

            environment["ASPNETCORE_URLS"] = Endpoints[replica].ToString();
            environment["DOTNET_ENVIRONMENT"] = environment["ASPNETCORE_ENVIRONMENT"] = EnvironmentName;
            environment["REPLICA_INDEX"] = replica.ToString(CultureInfo.InvariantCulture);
            // The project folder as working directory, as 'dotnet run' has it: the content root where its
            // appsettings*.json are found.
            var process = new ManagedProcess(processName, ProjectPaths.DotNetHost, [assembly],
                Path.Combine(ProjectPaths.RepositoryRoot, _projectDirectory), environment, restartOnExit: true, cancellationToken,
                Endpoints[replica]);
            _processes.Add(process);
            process.Start();
        }

        await Task.WhenAll(Endpoints.Select(endpoint =>
            HealthProbe.WaitUntilHealthyAsync(endpoint, DefaultHealthTimeout, cancellationToken))).ConfigureAwait(false);
        ConsoleLog.Info($"{Name}: healthy at {string.Join(", ", Endpoints)}");
        foreach (var callback in _onReady)
        {
            await callback(this, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken forceStop) =>
        Task.WhenAll(_processes.Select(process => process.StopAsync(forceStop)));
}
