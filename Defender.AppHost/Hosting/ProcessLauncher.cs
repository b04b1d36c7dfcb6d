using System.Collections.Concurrent;
using System.Diagnostics;

namespace Defender.AppHost.Hosting;

/// <summary>
/// Starts the AppHost's children so that they stop in order and never outlive it:
/// <list type="bullet">
/// <item>each in a session of its own (<c>setsid</c>): Ctrl+C at the terminal goes to the terminal's process group,
/// which is then the AppHost alone, and the AppHost stops its children one after the other (silos while storage is
/// still up) instead of all of them at once;</item>
/// <item>with a parent-death signal (<c>setpriv --pdeathsig TERM</c>): should the AppHost itself be killed (SIGKILL,
/// OOM), every child gets SIGTERM and stops gracefully rather than running on, orphaned.</item>
/// </list>
/// Where the util-linux tools are missing (macOS, Windows), children are started directly, as before.
/// </summary>
/// <remarks>
/// Linux sends the parent-death signal when the <em>thread</em> that forked the child ends, not the process. Thread
/// pool threads come and go, so every child is forked from one thread that lives as long as the AppHost.
/// </remarks>
public static class ProcessLauncher
{
    private static readonly string? SetSid = FindOnPath("setsid");
    private static readonly string? SetPriv = SupportsParentDeathSignal(FindOnPath("setpriv"));
    private static readonly BlockingCollection<Action> ForkQueue = [];
    private static readonly Lazy<Thread> Forker = new(StartForker);

    /// <summary>Whether children get a session of their own (so terminal signals reach only the AppHost).</summary>
    public static bool IsolatesChildren => SetSid is not null;

    /// <summary>A start info running <paramref name="fileName"/> in its own session, with a parent-death signal.</summary>
    public static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var prefix = new List<string>();
        if (SetPriv is not null)
        {
            prefix.AddRange([SetPriv, "--pdeathsig", "TERM", "--"]);
        }

        if (SetSid is not null)
        {
            prefix.Add(SetSid);
        }

        var command = prefix.Append(fileName).Concat(arguments).ToList();
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Starts the process (from the forking thread when a parent-death signal is in use).</summary>
    public static void Start(Process process)
    {
        if (SetPriv is null)
        {
            process.Start();
            return;
        }

        _ = Forker.Value;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ForkQueue.Add(() =>
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        });
        started.Task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The "node" for <see cref="Defender.Mssp.Runtime.Development.AzuriteServerOptions.NodeExecutable"/>: a two-line
    /// script in <paramref name="folder"/> that runs node in a session of its own, or plain <c>node</c> without setsid.
    /// Azurite needs no parent-death signal: it exits when its standard input closes, which the AppHost's death does.
    /// </summary>
    public static string NodeInOwnSession(string folder)
    {
        if (SetSid is null || OperatingSystem.IsWindows())
        {
            return "node";
        }

        Directory.CreateDirectory(folder);
        var script = Path.Combine(folder, "node-in-own-session.sh");
        var content = $"#!/bin/sh\nexec {SetSid} node \"$@\"\n";
        // Rewritten only when different: writing a script another run is executing this moment would fail (ETXTBSY).
        if (!File.Exists(script) || File.ReadAllText(script) != content)
        {
            File.WriteAllText(script, content);
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    private static Thread StartForker()
    {
        var thread = new Thread(() =>
        {
            foreach (var fork in ForkQueue.GetConsumingEnumerable())
            {
                fork();
            }
        })
        { IsBackground = true, Name = "AppHost child launcher" };
        thread.Start();
        return thread;
    }

    private static string? FindOnPath(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>setpriv learnt --pdeathsig in util-linux 2.33; an older one would refuse to start anything.</summary>
    private static string? SupportsParentDeathSignal(string? setpriv)
    {
        if (setpriv is null || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var help = Process.Start(new ProcessStartInfo(setpriv, "--help")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var text = help.StandardOutput.ReadToEnd();
            help.WaitForExit();
            return text.Contains("--pdeathsig", StringComparison.Ordinal) ? setpriv : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
