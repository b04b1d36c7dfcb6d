using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Collects the resources of the local system. Shaped like Aspire's <c>IDistributedApplicationBuilder</c> so that
/// moving to Aspire.Hosting, the day its packages can be restored here, is a small change.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(IConfiguration configuration)
    {
        Configuration = configuration;
    }

    /// <summary>The AppHost's settings: its environment variables, then the command line.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Tells this run's processes apart from another run's (in telemetry's <c>service.instance.id</c>).</summary>
    public string RunId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public IReadOnlyList<IResource> Resources => _resources;

    public T AddResource<T>(T resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }

        _resources.Add(resource);
        return resource;
    }

    /// <summary>A project of this repository (path relative to its root); it exports telemetry as the AppHost is told to.</summary>
    public ProjectResource AddProject(string name, string projectDirectory) =>
        AddResource(new ProjectResource(name, projectDirectory, Configuration, RunId)).WithOtlpExporter();

    /// <summary>Checks that every resource waits only for resources of this builder, without cycles.</summary>
    public DistributedApplication Build()
    {
        var ordered = new List<IResource>();
        var state = new Dictionary<IResource, bool>(); // false: being visited, true: done
        foreach (var resource in _resources)
        {
            Visit(resource);
        }

        return new DistributedApplication(ordered);

        void Visit(IResource resource)
        {
            if (state.TryGetValue(resource, out var done))
            {
                if (!done)
                {
                    throw new InvalidOperationException($"'{resource.Name}' waits for itself through its dependencies.");
                }

                return;
            }

            if (!_resources.Contains(resource))
            {
                throw new InvalidOperationException($"'{resource.Name}' is waited for but was never added to the builder.");
            }

            state[resource] = false;
            foreach (var dependency in resource.Dependencies)
            {
                Visit(dependency);
            }

            state[resource] = true;
            ordered.Add(resource);
        }
    }
}
