using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Defender.Mssp.TestKit;

namespace Defender.AppHost.Tests.Infrastructure;

/// <summary>
/// The built AppHost as a real process, in a session (and process group) of its own as a terminal would run it.
/// <see cref="InterruptAsync"/> sends SIGINT to that group, which is exactly what Ctrl+C at a terminal does. While it
/// runs, every process below it is recorded, so that afterwards the test can check none of them outlived it.
/// </summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    private const int SigInt = 2;
    private const int SigKill = 9;
    private static readonly TimeSpan TrackInterval = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentDictionary<(int, ulong), ProcessIdentity> _descendants = new();
    private readonly CancellationTokenSource _stopTracking = new();
    private readonly Task _tracking;

    private AppHostProcess(Process process)
    {
        _process = process;
        _tracking = TrackDescendantsAsync(_stopTracking.Token);
    }

    /// <summary>Defender.AppHost.dll, built in the tests' own configuration.</summary>
    public static string AssemblyPath { get; } = Path.Combine(
        RepositoryPaths.Root, "Defender.AppHost", "bin", Metadata("Configuration"), Metadata("TargetFramework"), "Defender.AppHost.dll");

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the AppHost printed so far (its children's included, behind their prefixes).</summary>
    public IReadOnlyList<string> Lines => _output.ToArray();

    /// <summary>Every process that ran below the AppHost at any time so far.</summary>
    public IReadOnlyCollection<ProcessIdentity> Descendants => _descendants.Values.ToList();

    public static AppHostProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new FileNotFoundException("The AppHost is not built; 'dotnet test' builds it with the tests.", AssemblyPath);
        }

        // env --default-signal=INT: a shell that runs commands in the background starts them with SIGINT ignored,
        // which the AppHost would inherit; Ctrl+C at a terminal has no such problem. setsid: a group of its own.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { "--default-signal=INT", "setsid", "dotnet", AssemblyPath }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var host = new AppHostProcess(process);
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The first match of <paramref name="pattern"/> in the output, waiting for it up to <paramref name="timeout"/>.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_output.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success) is { } match)
            {
                return match;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The AppHost printed no line matching '{pattern}' (exited: {_process.HasExited}). Its output ended with:\n{Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Ctrl+C: SIGINT to the AppHost's process group.</summary>
    public void Interrupt() => _ = Kill(-_process.Id, SigInt);

    /// <summary>Waits for the AppHost to exit; false if it did not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int lines = 80) => string.Join('\n', _output.TakeLast(lines));

    /// <summary>Whatever is still running is killed: a failed test must not leave processes behind for the next one.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopTracking.CancelAsync();
        await _tracking;
        if (!_process.HasExited)
        {
            _ = Kill(-_process.Id, SigKill);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        foreach (var leftover in _descendants.Values.Where(ProcessTable.IsRunning))
        {
            _ = Kill(leftover.Pid, SigKill);
        }

        _process.Dispose();
        _stopTracking.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private async Task TrackDescendantsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (_process.Id is var root and > 0 && !_process.HasExited)
                {
                    foreach (var process in ProcessTable.Descendants(root))
                    {
                        // Replaced on every look: a child seen between fork and exec still shows its parent's command line.
                        _descendants[(process.Pid, process.StartTime)] = process;
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // Not started yet.
            }

            try
            {
                await Task.Delay(TrackInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(AppHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
