using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Defender.AppHost.Hosting;

/// <summary>
/// One child process: started with its environment (see <see cref="ProcessLauncher"/>), its output streamed behind a
/// coloured prefix, restarted if it dies on its own, and stopped with SIGTERM (graceful: a silo saves its state and
/// hands its tenants over) before SIGKILL.
/// </summary>
public sealed partial class ManagedProcess
{
    /// <summary>The first restart comes after this; each quick death in a row doubles it, up to <see cref="MaxRestartDelay"/>.</summary>
    public static readonly TimeSpan InitialRestartDelay = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    /// <summary>A process that ran this long before dying is restarted after the initial delay again.</summary>
    public static readonly TimeSpan HealthyRunTime = TimeSpan.FromMinutes(1);

    private const int SigTerm = 15;

    private readonly string _name;
    private readonly string _fileName;
    private readonly IReadOnlyList<string> _arguments;
    private readonly string _workingDirectory;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly bool _restartOnExit;
    private readonly CancellationToken _shuttingDown;
    private readonly TimeProvider _time;
    private readonly Uri? _healthEndpoint;
    private readonly string _colour;
    private readonly Lock _gate = new();
    private Process? _process;
    private DateTimeOffset _startedAt;
    private TimeSpan _restartDelay = InitialRestartDelay;
    private bool _stopping;

    /// <param name="environment">Variables to set; a null value removes one the AppHost's own environment would pass on.</param>
    /// <param name="shuttingDown">Cancelled when the AppHost begins to stop: from then on nothing is restarted.</param>
    /// <param name="healthEndpoint">Where the process answers <c>/health</c>, so a restart can report when it is healthy again.</param>
    public ManagedProcess(string name, string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, bool restartOnExit, CancellationToken shuttingDown,
        Uri? healthEndpoint = null, TimeProvider? timeProvider = null)
    {
        _name = name;
        _fileName = fileName;
        _arguments = arguments;
        _workingDirectory = workingDirectory;
        _environment = environment;
        _restartOnExit = restartOnExit;
        _shuttingDown = shuttingDown;
        _time = timeProvider ?? TimeProvider.System;
        _healthEndpoint = healthEndpoint;
        _colour = ConsoleLog.ColourFor(name);
    }

    public string Name => _name;

    /// <summary>The current process's id; a restart gives a new one.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process?.Id;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            if (_stopping || _shuttingDown.IsCancellationRequested)
            {
                return;
            }

            var info = ProcessLauncher.CreateStartInfo(_fileName, _arguments);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.WorkingDirectory = _workingDirectory;
            foreach (var (key, value) in _environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }

            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => Forward(e.Data);
            process.ErrorDataReceived += (_, e) => Forward(e.Data);
            process.Exited += (_, _) => OnExited(process);
            ProcessLauncher.Start(process);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var previous = _process; // one that ended on its own; restarts happen only after an exit
            _process = process;
            previous?.Dispose();
            _startedAt = _time.GetUtcNow();
            ConsoleLog.Write(_name, _colour, $"started (pid {process.Id})");
        }
    }

    /// <summary>SIGTERM, then SIGKILL to the process tree once <paramref name="forceStop"/> is cancelled.</summary>
    public async Task StopAsync(CancellationToken forceStop)
    {
        Process? process;
        lock (_gate)
        {
            // Under the lock: a restart that is due cannot slip in between this and the signal.
            _stopping = true;
            process = _process;
        }

        if (process is null || process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        try
        {
            await process.WaitForExitAsync(forceStop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ConsoleLog.Write(_name, _colour, "did not stop in time; killing it");
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited just now.
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            ConsoleLog.Write(_name, _colour, line);
        }
    }

    private void OnExited(Process process)
    {
        ConsoleLog.Write(_name, _colour, $"exited with code {process.ExitCode}");
        TimeSpan delay;
        lock (_gate)
        {
            if (_stopping || !_restartOnExit || _shuttingDown.IsCancellationRequested || !ReferenceEquals(process, _process))
            {
                return;
            }

            // A child that keeps dying at start (a bad setting) is retried ever more slowly, not in a tight loop.
            delay = _time.GetUtcNow() - _startedAt >= HealthyRunTime ? InitialRestartDelay : _restartDelay;
            _restartDelay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
        }

        ConsoleLog.Write(_name, _colour, $"ended on its own; restarting in {delay.TotalSeconds:0} s");
        _ = RestartAfterAsync(delay);
    }

    private async Task RestartAfterAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _shuttingDown).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            Start();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            ConsoleLog.Write(_name, _colour, $"could not be restarted: {e.Message}");
            return;
        }

        if (_healthEndpoint is null)
        {
            return;
        }

        try
        {
            await HealthProbe.WaitUntilHealthyAsync(_healthEndpoint, ProjectResource.DefaultHealthTimeout, _shuttingDown).ConfigureAwait(false);
            ConsoleLog.Write(_name, _colour, $"healthy again at {_healthEndpoint}");
        }
        catch (TimeoutException e)
        {
            ConsoleLog.Write(_name, _colour, $"not healthy after its restart: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            // The AppHost is stopping.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
