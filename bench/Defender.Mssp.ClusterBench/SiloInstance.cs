using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// One silo process (or, through <see cref="StartApi"/>, the management API's), configured by an
/// <c>appsettings.json</c> in a content root of its own. Kill is SIGKILL (a crash); Stop is SIGTERM (the graceful
/// path). Its output is drained and dropped but for the last lines, shown on failure.
/// </summary>
internal sealed partial class SiloInstance : IAsyncDisposable
{
    private static readonly string SiloAssembly = BuiltAssembly("Defender.Mssp.Silo");

    private static readonly string ApiAssembly = BuiltAssembly("Defender.Mssp.Api");

    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private SiloInstance(string name, string contentRoot, string assembly, string urls)
    {
        Name = name;
        ContentRoot = contentRoot;
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { assembly },
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_ENVIRONMENT"] = info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = urls;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public string Name { get; }

    public string ContentRoot { get; }

    /// <summary>The process id, for <see cref="ProcessStats"/>.</summary>
    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public static SiloInstance Start(string name, string contentRoot) => Start(name, contentRoot, SiloAssembly, "http://127.0.0.1:0");

    /// <summary>Starts the management API (src/Defender.Mssp.Api) listening on <paramref name="address"/>.</summary>
    public static SiloInstance StartApi(string contentRoot, Uri address) =>
        Start("api", contentRoot, ApiAssembly, address.GetLeftPart(UriPartial.Authority));

    private static SiloInstance Start(string name, string contentRoot, string assembly, string urls)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("Not built; build the bench in the same configuration.", assembly);
        }

        var process = new SiloInstance(name, contentRoot, assembly, urls);
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    private static string BuiltAssembly(string project) => Path.Combine(
        RepositoryPaths.Root, "src", project, "bin",
        typeof(SiloInstance).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!,
        "net10.0", project + ".dll");

    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
    }

    /// <summary>SIGTERM, and SIGKILL if the silo has not exited within <paramref name="timeout"/>.</summary>
    public async Task StopOrKillAsync(TimeSpan timeout)
    {
        try
        {
            await StopAsync(timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync().ConfigureAwait(false);
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

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 50)
            {
                _tail.Dequeue();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
