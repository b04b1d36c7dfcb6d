using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>Defender.Mssp.Silo</c> process, configured entirely through its environment. Stop sends SIGTERM (the
/// graceful path); Kill sends SIGKILL (a crash: no cleanup, no final write).
/// </summary>
public sealed partial class SiloProcess : IAsyncDisposable
{
    private static readonly string SiloAssembly = Path.Combine(
        RepositoryPaths.Root, "src", "Defender.Mssp.Silo", "bin",
        typeof(SiloProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!,
        "net10.0", "Defender.Mssp.Silo.dll");

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(string name, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { SiloAssembly },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(SiloAssembly)!,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the silo printed so far (for assertions and for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(SiloAssembly))
        {
            throw new FileNotFoundException("The silo is not built.", SiloAssembly);
        }

        var silo = new SiloProcess(name, environment);
        silo._process.Start();
        silo._process.BeginOutputReadLine();
        silo._process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>SIGTERM, then waits for a clean exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
        }

        await WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Silo {Name} did not exit within {timeout}. Output:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 5000 && _output.TryDequeue(out _))
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
