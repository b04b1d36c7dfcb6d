using System.Diagnostics;

namespace Defender.Mssp.Runtime.Development;

/// <summary>Starts a child process with its output read line by line into a callback.</summary>
internal static class ChildProcess
{
    public static Process Start(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, Action<string> onLine)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Asks the process to exit by closing its standard input (the child must watch for that), and kills it if it is
    /// still running after <paramref name="timeout"/>.
    /// </summary>
    public static async Task StopAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The pipe is already broken: the process is exiting anyway.
        }

        using var graceful = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        graceful.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(graceful.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillTreeAsync(process, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the process and everything it started, and waits until it is gone.</summary>
    public static async Task KillTreeAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }
}
