namespace Defender.AppHost;

/// <summary>
/// The AppHost's options as configuration entries: <c>--tenants 5</c> becomes <c>AppHost:Tenants=5</c>, and so on.
/// Any other configuration key may be given as <c>--Section:Key=value</c> or <c>--OTEL_…=value</c>; anything else is
/// an error rather than silently ignored.
/// </summary>
/// <param name="Settings">Every setting given, as configuration entries for the AppHost.</param>
/// <param name="PassThrough">The <c>--Section:Key=value</c> and <c>--OTEL_…</c> ones, which every process is given too.</param>
public sealed record AppHostCommandLine(
    IReadOnlyDictionary<string, string?> Settings,
    IReadOnlyDictionary<string, string?> PassThrough,
    bool ShowHelp,
    IReadOnlyList<string> Errors)
{
    public const int ExitCodeUsage = 2;

    private static readonly Dictionary<string, string> Valued = new(StringComparer.Ordinal)
    {
        ["--tenants"] = "AppHost:Tenants",
        ["--replicas"] = "AppHost:Replicas",
        ["--storage"] = "ConnectionStrings:" + AppHostOptions.StorageName,
        ["--data"] = "AppHost:DataPath",
        ["--sink"] = "AppHost:SinkPath",
        ["--api-port"] = "AppHost:ApiPort",
    };

    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        ["--no-simulator"] = "AppHost:NoSimulator",
    };

    public static string Usage => """
        Runs Defender.Mssp locally: Azurite, the Defender simulator with demo tenants, the silos and the management API
        with its dashboard. Ctrl+C stops everything.

        Usage: dotnet run --project Defender.AppHost [-- options]

          --tenants <n>        demo tenants in the simulator (default 3, at most 500)
          --replicas <n>       silo processes (default 2)
          --no-simulator       real Microsoft endpoints and no demo tenants; onboard tenants through the API
          --storage <string>   a storage connection string to use instead of a local Azurite
                               (or ConnectionStrings__storage / Storage__ConnectionString)
          --data <folder>      state folder (default .data, or .data/live with --no-simulator)
          --sink <folder>      where records are written (default <data>/sink)
          --api-port <port>    a fixed port for the API and dashboard (default: a free one)
          --Section:Key=value  any other setting, passed on to every process (e.g. --OTEL_EXPORTER_OTLP_ENDPOINT=…)
        """;

    public static AppHostCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var passThrough = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            if (argument is "-h" or "--help" or "-?")
            {
                help = true;
                continue;
            }

            var (name, inlineValue) = argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
                ? (argument[..equals], argument[(equals + 1)..])
                : (argument, null);
            if (Flags.TryGetValue(name, out var flagKey))
            {
                settings[flagKey] = inlineValue ?? "true";
            }
            else if (Valued.TryGetValue(name, out var key) || IsConfigurationKey(name, out key))
            {
                var passedOn = !Valued.ContainsKey(name);
                var value = inlineValue ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
                if (value is null)
                {
                    errors.Add($"{name} needs a value.");
                }
                else
                {
                    settings[key] = value;
                    if (passedOn)
                    {
                        passThrough[key] = value;
                    }
                }
            }
            else
            {
                errors.Add($"Unknown option '{name}'.");
            }
        }

        return new AppHostCommandLine(settings, passThrough, help, errors);
    }

    private static bool IsConfigurationKey(string name, out string key)
    {
        key = name.StartsWith("--", StringComparison.Ordinal) ? name[2..] : "";
        return key.Contains(':', StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal);
    }
}
