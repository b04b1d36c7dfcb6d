using Xunit.Abstractions;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>
/// What a test with silo processes owns: a sink folder of its own and the silos it started. Disposing it writes the
/// tail of each silo's output to the test's output (the first place to look when a test fails), stops the silos and
/// deletes the folder.
/// </summary>
public sealed class SiloScope(string name, ITestOutputHelper output) : IAsyncDisposable
{
    private const int OutputTail = 20_000;
    private readonly List<SiloProcess> _silos = [];

    public string SinkFolder { get; } = Directory.CreateTempSubdirectory($"defender-{name}-").FullName;

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public SiloProcess Start(string siloName, IReadOnlyDictionary<string, string> environment)
    {
        var silo = SiloProcess.Start(siloName, environment);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>The end of every silo's output, for failure messages.</summary>
    public string Tail(int characters = 4000) =>
        string.Join('\n', _silos.Select(s => s.Output.Length > characters ? s.Output[^characters..] : s.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            output.WriteLine($"--- {silo.Name} (exit {(silo.HasExited ? silo.ExitCode.ToString() : "running")}) ---");
            output.WriteLine(silo.Output.Length > OutputTail ? silo.Output[^OutputTail..] : silo.Output);
            await silo.DisposeAsync();
        }

        Directory.Delete(SinkFolder, recursive: true);
    }
}
