using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Collects the resources of the local system. Shaped like Aspire's <c>IDistributedApplicationBuilder</c> so that
/// moving to Aspire.Hosting, the day its packages can be restored here, is a small change.
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<IResource> _resources = [];

    internal DistributedApplicationBuilder(string[] args)
    {
        Configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
    }

    public IConfiguration Configuration { get; }

    public IReadOnlyList<IResource> Resources => _resources;

    public T AddResource<T>(T resource) where T : IResource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' already exists.");
        }

        _resources.Add(resource);
        return resource;
    }

    public ProjectResource AddProject(string name, string projectDirectory) =>
        AddResource(new ProjectResource(name, projectDirectory));

    public DistributedApplication Build()
    {
        foreach (var project in _resources.OfType<ProjectResource>())
        {
            var late = project.Dependencies.FirstOrDefault(d => _resources.IndexOf(d) > _resources.IndexOf(project));
            if (late is not null)
            {
                throw new InvalidOperationException($"'{project.Name}' waits for '{late.Name}', which is added after it.");
            }
        }

        return new DistributedApplication(_resources);
    }
}
