using Microsoft.Extensions.Configuration;

namespace Defender.Mssp.Api.Tenants;

/// <summary>
/// Where, besides the JSON Lines sink, the silos keep a folder per tenant that <c>DELETE …?purge=true</c> removes:
/// the file sinks of <c>Sinks:Definitions</c> (JSON Lines and CSV) and the dead-letter folder. Read from the same
/// configuration the silos have; a folder the API cannot see (another machine's disk) is simply not there to delete.
/// </summary>
internal static class PurgedDataPaths
{
    /// <summary>The CSV sink's folder when its definition names none (<c>CsvSinkOptions</c>' default).</summary>
    private const string DefaultCsvPath = "./sink-csv";

    private const string DeadLetterFolderName = "dead-letter";

    /// <summary>Where the silos put the file sinks tenants are given through the API when configuration names no root.</summary>
    public const string DefaultTenantSinkFolderRoot = "./tenant-sinks";

    public static IEnumerable<string> From(IConfiguration configuration, string sinkPath)
    {
        foreach (var definition in configuration.GetSection("Sinks:Definitions").GetChildren())
        {
            var type = definition["Type"];
            if (string.Equals(type, "JsonLines", StringComparison.OrdinalIgnoreCase) && definition["Path"] is { Length: > 0 } path)
            {
                yield return path;
            }
            else if (string.Equals(type, "Csv", StringComparison.OrdinalIgnoreCase))
            {
                yield return definition["Path"] is { Length: > 0 } csv ? csv : DefaultCsvPath;
            }
        }

        // As the silo places it (DeadLetterOptions): configured, or beside the JSON Lines sink's folder.
        yield return configuration["Defender:DeadLetter:Path"] is { Length: > 0 } deadLetter
            ? deadLetter
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sinkPath.TrimEnd('/', '\\'))) ?? ".", DeadLetterFolderName);
    }
}
