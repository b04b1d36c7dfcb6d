using Defender.Mssp.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// The silo processes of one test, each started from the test's <see cref="SiloEnvironment"/> under its own silo id;
/// on dispose every process still running is killed, the tail of each one's output goes to the test output and all
/// of it (as much as <see cref="SiloProcess"/> keeps) to <c>silo-logs/</c> under the test output folder.
/// </summary>
public sealed class SiloFleet(SiloEnvironment environment, ITestOutputHelper output, int outputTailChars = 12_000) : IAsyncDisposable
{
    private static readonly string LogFolder = Path.Combine(AppContext.BaseDirectory, "silo-logs");

    private readonly List<SiloProcess> _all = [];
    private readonly string _run = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every silo started, in start order, exited ones included.</summary>
    public IReadOnlyList<SiloProcess> All => _all;

    public IEnumerable<SiloProcess> Running => _all.Where(silo => !silo.HasExited);

    /// <summary>Starts a silo whose id (<c>Cluster:SiloId</c>, sent as X-Mssp-Silo-Id) is <paramref name="siloId"/>.</summary>
    public SiloProcess Start(string siloId, params (string Key, string Value)[] extra)
    {
        var silo = SiloProcess.Start(siloId, environment.With([("Cluster:SiloId", siloId), .. extra]));
        _all.Add(silo);
        return silo;
    }

    public SiloProcess this[string siloId] => _all.Last(silo => silo.Name == siloId);

    /// <summary>The last lines of every silo's output, for a failure message.</summary>
    public string Tails(int chars = 3000) =>
        string.Join('\n', _all.Select(silo => $"--- {silo.Name} ---\n{Tail(silo.Output, chars)}"));

    public async ValueTask DisposeAsync()
    {
        Directory.CreateDirectory(LogFolder);
        foreach (var silo in _all)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString() : "running")}) ---");
            output.WriteLine(Tail(silo.Output, outputTailChars));
            await silo.DisposeAsync();
            await File.WriteAllTextAsync(Path.Combine(LogFolder, $"{_run}-{environment.Container}-{silo.Name}.log"), silo.Output);
        }

        output.WriteLine($"silo logs: {LogFolder}/{_run}-{environment.Container}-*.log");
    }

    private static string Tail(string text, int chars) => text.Length > chars ? text[^chars..] : text;
}
