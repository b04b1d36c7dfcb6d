namespace Defender.Mssp.Runtime.Development;

/// <summary>How <see cref="AzuriteServer"/> finds, installs and runs the emulator.</summary>
public sealed class AzuriteServerOptions
{
    /// <summary>Where the npm package is pinned, relative to the folder holding <c>Defender.Mssp.sln</c>.</summary>
    public const string ToolFolder = "tools/azurite";

    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a clean shutdown may take before the process is killed.</summary>
    public static readonly TimeSpan DefaultGracefulStopTimeout = TimeSpan.FromSeconds(15);

    /// <summary><c>npm ci</c> of Azurite's ~450 packages takes about a minute on a cold cache.</summary>
    public static readonly TimeSpan DefaultInstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The tools/azurite folder itself; when null it is searched for above <see cref="SearchFrom"/>.</summary>
    public string? ToolDirectory { get; set; }

    /// <summary>Where the search for <c>Defender.Mssp.sln</c> starts; defaults to <see cref="AppContext.BaseDirectory"/>.</summary>
    public string? SearchFrom { get; set; }

    /// <summary>
    /// The folder Azurite persists to (<c>--location</c>); null keeps everything in memory, which a stop loses.
    /// Give a folder when data must survive <see cref="AzuriteServer.StopAsync"/> and a restart.
    /// </summary>
    public string? Location { get; set; }

    /// <summary>The port to listen on; 0 lets the first start take a free one, which later restarts keep.</summary>
    public int Port { get; set; }

    /// <summary>Passes <c>--loose</c>: ignore headers and parameters Azurite does not support instead of failing.</summary>
    public bool Loose { get; set; }

    /// <summary>Passes <c>--silent</c>: no access log on standard output.</summary>
    public bool Silent { get; set; } = true;

    /// <summary>More command-line arguments for <c>azurite-blob</c>, e.g. <c>--oauth basic</c> with <c>--cert</c>.</summary>
    public IList<string> ExtraArguments { get; } = new List<string>();

    public TimeSpan StartupTimeout { get; set; } = DefaultStartupTimeout;

    public TimeSpan InstallTimeout { get; set; } = DefaultInstallTimeout;

    public TimeSpan GracefulStopTimeout { get; set; } = DefaultGracefulStopTimeout;

    public string NodeExecutable { get; set; } = "node";

    public string NpmExecutable { get; set; } = "npm";
}
