using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Defender.AppHost.Hosting;

/// <summary>
/// One child process: started with its environment, its output streamed with a prefix, restarted if it dies on its
/// own, and stopped with SIGTERM (graceful: silos hand over their tenants) before SIGKILL.
/// </summary>
public sealed partial class ManagedProcess(string name, string fileName, IReadOnlyList<string> arguments,
    IReadOnlyDictionary<string, string> environment, bool restartOnExit)
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(2);
    private readonly string _colour = ConsoleLog.ColourFor(name);
    private Process? _process;
    private volatile bool _stopping;

    public string Name => name;

    public int? ProcessId => _process?.Id;

    public void Start()
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ProjectPaths.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Exited += (_, _) => OnExited(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        ConsoleLog.Write(name, _colour, $"started (pid {process.Id})");
    }

    public async Task StopAsync(TimeSpan grace)
    {
        _stopping = true;
        var process = _process;
        if (process is null || process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ConsoleLog.Write(name, _colour, "did not stop in time; killing");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            ConsoleLog.Write(name, _colour, line);
        }
    }

    private void OnExited(Process process)
    {
        ConsoleLog.Write(name, _colour, $"exited with code {process.ExitCode}");
        if (_stopping || !restartOnExit)
        {
            return;
        }

        _ = Task.Delay(RestartDelay).ContinueWith(_ =>
        {
            if (!_stopping)
            {
                ConsoleLog.Write(name, _colour, "restarting");
                Start();
            }
        }, TaskScheduler.Default);
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
