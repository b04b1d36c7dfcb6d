namespace Defender.AppHost.Hosting;

/// <summary>The Aspire-shaped verbs that wire one resource to another.</summary>
public static class ResourceBuilderExtensions
{
    public static AzuriteResource AddAzurite(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new AzuriteResource(name, Path.Combine(ProjectPaths.RepositoryRoot, ".data", name)));

    /// <summary>Gives the project the storage connection string as <c>ConnectionStrings__{name}</c>, as Aspire does.</summary>
    public static ProjectResource WithReference(this ProjectResource project, AzuriteResource storage) =>
        project.WithEnvironment($"ConnectionStrings__{storage.Name}", () => storage.ConnectionString).WaitFor(storage);

    /// <summary>
    /// Gives the project the referenced project's first endpoint as <c>services__{name}__{scheme}__0</c>, Aspire's
    /// service-discovery convention.
    /// </summary>
    public static ProjectResource WithReference(this ProjectResource project, ProjectResource service) =>
        project.WithEnvironment($"services__{service.Name}__{service.Scheme}__0", () => service.Endpoints[0].ToString())
            .WaitFor(service);

    /// <summary>Adds configuration entries (<c>A:B</c> keys) as environment variables (<c>A__B</c>).</summary>
    public static ProjectResource WithConfiguration(
        this ProjectResource project, IEnumerable<KeyValuePair<string, string?>> entries)
    {
        foreach (var (key, value) in entries)
        {
            project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value ?? "");
        }

        return project;
    }
}
