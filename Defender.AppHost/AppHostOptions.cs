using System.Globalization;
using Defender.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost;

/// <summary>
/// What to run, from the command line (<see cref="AppHostCommandLine"/>) or the environment (section <c>AppHost</c>,
/// e.g. <c>AppHost__Replicas=3</c>; storage as <c>ConnectionStrings__storage</c> or <c>Storage__ConnectionString</c>).
/// </summary>
public sealed class AppHostOptions
{
    public const string SectionName = "AppHost";

    public const string StorageName = "storage";

    public const int DefaultTenants = 3;

    public const int MaxTenants = 500;

    public const int DefaultReplicas = 2;

    public const int MaxReplicas = 16;

    /// <summary>Demo state, relative to the repository root; ignored by git.</summary>
    public const string DefaultDataFolder = ".data";

    /// <summary>State of runs against real tenants, kept apart so demo tenants never meet real endpoints.</summary>
    public const string DefaultLiveDataFolder = ".data/live";

    /// <summary>How many demo tenants the simulator serves and the AppHost onboards.</summary>
    public int Tenants { get; init; } = DefaultTenants;

    /// <summary>How many silo processes run.</summary>
    public int Replicas { get; init; } = DefaultReplicas;

    /// <summary>No simulator and no demo tenants: real Microsoft endpoints, tenants onboarded through the management API.</summary>
    public bool NoSimulator { get; init; }

    /// <summary>A real storage account's connection string; null starts Azurite. A secret: never printed.</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>
    /// The folder for Azurite's data (<c>storage/</c>), the sink (<c>sink/</c>), tenants' own file sinks
    /// (<c>tenant-sinks/</c>) and the demo's files (<c>apphost/</c>).
    /// </summary>
    public required string DataPath { get; init; }

    /// <summary>Where the silos' JSON-lines sink writes, one folder per tenant.</summary>
    public required string SinkPath { get; init; }

    /// <summary>A fixed port for the management API and dashboard; null picks a free one on every run.</summary>
    public int? ApiPort { get; init; }

    public string StorageFolder => Path.Combine(DataPath, "storage");

    public string DemoFolder => Path.Combine(DataPath, "apphost");

    /// <summary>
    /// The root of the file sinks tenants are given through the API (<c>TenantSinks:FolderRoot</c>), one folder for
    /// the silos and the API alike, so a purge through the API finds what the silos wrote.
    /// </summary>
    public string TenantSinkFolder => Path.Combine(DataPath, "tenant-sinks");

    /// <summary>Reads and checks the options; the errors say what to change.</summary>
    public static AppHostOptions Create(IConfiguration configuration, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var section = configuration.GetSection(SectionName);
        var noSimulator = ReadFlag(section, nameof(NoSimulator), "--no-simulator", problems);
        var tenants = ReadInt(section, nameof(Tenants), "--tenants", DefaultTenants, 1, MaxTenants, problems);
        if (noSimulator && section[nameof(Tenants)] is not null)
        {
            problems.Add("--tenants makes demo tenants in the simulator; with --no-simulator the tenants are those onboarded through the management API.");
        }

        var storage = configuration.GetConnectionString(StorageName) is { Length: > 0 } given
            ? given
            : configuration["Storage:ConnectionString"] is { Length: > 0 } fromSection ? fromSection : null;
        if (storage is null && !string.IsNullOrWhiteSpace(configuration["Storage:BlobServiceUri"]))
        {
            problems.Add("Storage:BlobServiceUri is set, but the AppHost hands its processes storage as a connection string: pass --storage \"<connection string>\" (or ConnectionStrings__storage) instead.");
        }

        var dataPath = Path.GetFullPath(section["DataPath"] is { Length: > 0 } data
            ? data
            : Path.Combine(ProjectPaths.RepositoryRoot, noSimulator ? DefaultLiveDataFolder : DefaultDataFolder));
        var options = new AppHostOptions
        {
            Tenants = tenants,
            Replicas = ReadInt(section, nameof(Replicas), "--replicas", DefaultReplicas, 1, MaxReplicas, problems),
            NoSimulator = noSimulator,
            StorageConnectionString = storage,
            DataPath = dataPath,
            SinkPath = Path.GetFullPath(section["SinkPath"] is { Length: > 0 } sink ? sink : Path.Combine(dataPath, "sink")),
            ApiPort = section[nameof(ApiPort)] is null ? null : ReadInt(section, nameof(ApiPort), "--api-port", 0, 1, 65535, problems),
        };
        errors = problems;
        return options;
    }

    private static int ReadInt(IConfiguration section, string key, string option, int fallback, int min, int max, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{option} (AppHost:{key}) must be a whole number from {min} to {max}; '{text}' is not.");
        return fallback;
    }

    private static bool ReadFlag(IConfiguration section, string key, string option, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"{option} (AppHost:{key}) must be true or false; '{text}' is not.");
        return false;
    }
}
