namespace Defender.Mssp.Runtime.Development;

/// <summary>Finds the tools/azurite folder: given explicitly, or beside <c>Defender.Mssp.sln</c> above a start folder.</summary>
internal static class AzuriteToolLocator
{
    private const string SolutionFile = "Defender.Mssp.sln";

    public static string Find(AzuriteServerOptions options)
    {
        if (options.ToolDirectory is { } explicitDirectory)
        {
            return File.Exists(Path.Combine(explicitDirectory, "package.json"))
                ? Path.GetFullPath(explicitDirectory)
                : throw new DirectoryNotFoundException($"'{explicitDirectory}' holds no package.json for Azurite.");
        }

        var start = options.SearchFrom ?? AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, AzuriteServerOptions.ToolFolder));
            }
        }

        throw new DirectoryNotFoundException(
            $"No {SolutionFile} above '{start}', so {AzuriteServerOptions.ToolFolder} cannot be found; set {nameof(AzuriteServerOptions)}.{nameof(AzuriteServerOptions.ToolDirectory)}.");
    }
}
