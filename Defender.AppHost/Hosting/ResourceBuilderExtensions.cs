namespace Defender.AppHost.Hosting;

/// <summary>The Aspire-shaped verbs that add resources and wire one to another.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Azurite's blob service, its data kept in <paramref name="dataFolder"/> across runs.</summary>
    public static AzuriteResource AddAzurite(this DistributedApplicationBuilder builder, string name, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new AzuriteResource(name, dataFolder, Path.Combine(dataFolder, ".apphost")));
    }

    /// <summary>An existing service known by its connection string (Aspire's <c>AddConnectionString</c>).</summary>
    public static ConnectionStringResource AddConnectionString(
        this DistributedApplicationBuilder builder, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new ConnectionStringResource(name, connectionString));
    }

    /// <summary>Gives the project the connection string as <c>ConnectionStrings__{name}</c>, as Aspire does, and waits for it.</summary>
    public static ProjectResource WithReference(this ProjectResource project, IResourceWithConnectionString resource)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(resource);
        return project.WithEnvironment($"ConnectionStrings__{resource.Name}", () => resource.ConnectionString).WaitFor(resource);
    }

    /// <summary>
    /// Gives the project the referenced project's endpoints as <c>services__{name}__{scheme}__{i}</c>, Aspire's
    /// service-discovery convention, and waits for it.
    /// </summary>
    public static ProjectResource WithReference(this ProjectResource project, ProjectResource service)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(service);
        for (var i = 0; i < service.Replicas; i++)
        {
            var replica = i;
            project.WithEnvironment($"services__{service.Name}__{service.Scheme}__{replica}", () => service.Endpoints[replica].ToString());
        }

        return project.WaitFor(service);
    }

    /// <summary>Adds configuration entries (<c>A:B</c> keys) as environment variables (<c>A__B</c>).</summary>
    public static ProjectResource WithConfiguration(this ProjectResource project, IEnumerable<KeyValuePair<string, string?>> entries)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
        {
            project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value ?? "");
        }

        return project;
    }
}
