namespace Defender.Mssp.TestKit;

/// <summary>Finds the repository root (the folder holding Defender.Mssp.sln) from a test's output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Defender.Mssp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Defender.Mssp.sln not found above " + AppContext.BaseDirectory);
    }
}
