using System.Reflection;

namespace Defender.AppHost.Hosting;

/// <summary>Finds the repository, the built assembly of a project in it (in the AppHost's own configuration) and dotnet.</summary>
public static class ProjectPaths
{
    private static readonly string Configuration = Metadata("Configuration");
    private static readonly string TargetFramework = Metadata("TargetFramework");

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The dotnet host running the AppHost (so children use the same SDK's runtime), else the one the CLI names in
    /// <c>DOTNET_HOST_PATH</c>, else <c>dotnet</c> from the PATH.
    /// </summary>
    public static string DotNetHost { get; } = FindDotNetHost();

    public static string Assembly(string projectDirectory)
    {
        var name = Path.GetFileName(projectDirectory);
        var path = Path.Combine(RepositoryRoot, projectDirectory, "bin", Configuration, TargetFramework, name + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{name} is not built in {Configuration}; run 'dotnet build Defender.AppHost -c {Configuration}' first.", path);
    }

    private static string Metadata(string key) =>
        typeof(ProjectPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Defender.Mssp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the AppHost from inside the Defender.Mssp repository.");
    }

    private static string FindDotNetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";
    }
}
