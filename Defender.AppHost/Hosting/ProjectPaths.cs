using System.Reflection;

namespace Defender.AppHost.Hosting;

/// <summary>Finds the built assembly of a project in this repository, built in the AppHost's own configuration.</summary>
public static class ProjectPaths
{
    private static readonly string Configuration = Metadata("Configuration");
    private static readonly string TargetFramework = Metadata("TargetFramework");

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Assembly(string projectDirectory)
    {
        var name = Path.GetFileName(projectDirectory);
        var path = Path.Combine(RepositoryRoot, projectDirectory, "bin", Configuration, TargetFramework, name + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{name} is not built; run 'dotnet build' first.", path);
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
}
