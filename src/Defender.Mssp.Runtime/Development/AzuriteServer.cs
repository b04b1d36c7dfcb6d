using System.Diagnostics;
using System.Globalization;
using System.Security.Authentication;
using System.Text.RegularExpressions;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Development;

/// <summary>
/// Azurite's blob service as a child process on 127.0.0.1, for tests, the silo's Development profile and the AppHost.
/// Installs the pinned emulator from tools/azurite on first use (<c>npm ci</c>). Can be stopped and started again on
/// the same port and folder, so tests can simulate a storage outage; with <see cref="AzuriteServerOptions.Location"/>
/// unset the data lives in memory and a stop loses it.
/// </summary>
/// <example>
/// <code>
/// await using var azurite = await AzuriteServer.StartNewAsync(cancellationToken: ct);
/// var service = new BlobServiceClient(azurite.ConnectionString);
/// </code>
/// </example>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly AzuriteServerOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Process? _process;
    private Uri? _blobEndpoint;

    public AzuriteServer(AzuriteServerOptions? options = null, ILogger<AzuriteServer>? logger = null)
    {
        _options = options ?? new AzuriteServerOptions();
        _logger = logger ?? NullLogger<AzuriteServer>.Instance;
    }

    /// <summary>The blob endpoint, <c>http://127.0.0.1:{port}/devstoreaccount1</c>; known once started.</summary>
    public Uri BlobEndpoint => _blobEndpoint ?? throw new InvalidOperationException("Azurite has not been started yet.");

    public int Port => BlobEndpoint.Port;

    /// <summary>A connection string for the emulator's well-known development account at <see cref="BlobEndpoint"/>.</summary>
    public string ConnectionString => DevelopmentStorageAccount.ConnectionString(BlobEndpoint);

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Creates a server and starts it.</summary>
    public static async Task<AzuriteServer> StartNewAsync(
        AzuriteServerOptions? options = null, ILogger<AzuriteServer>? logger = null, CancellationToken cancellationToken = default)
    {
        var server = new AzuriteServer(options, logger);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the emulator and waits until it answers HTTP; does nothing if it is running. After a stop it starts
    /// again on the same port and folder.
    /// </summary>
    /// <exception cref="InvalidOperationException">Azurite could not be installed, exited, or did not answer in
    /// time; the message carries its last output lines.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning)
            {
                return;
            }

            var toolDirectory = AzuriteToolLocator.Find(_options);
            await AzuriteInstaller.EnsureInstalledAsync(toolDirectory, _options, _logger, cancellationToken).ConfigureAwait(false);
            await LaunchAsync(toolDirectory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Shuts the emulator down cleanly, so a persisted folder keeps every acknowledged write, and waits for it to exit
    /// (killing it after <see cref="AzuriteServerOptions.GracefulStopTimeout"/>). Port and folder are kept for a restart.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => EndAsync(graceful: true, cancellationToken);

    /// <summary>
    /// Kills the emulator's process tree at once, as a crash would: with a folder, writes of the last few seconds
    /// may be lost (Azurite saves its metadata every 5 s). Port and folder are kept for a restart.
    /// </summary>
    public Task KillAsync(CancellationToken cancellationToken = default) => EndAsync(graceful: false, cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task EndAsync(bool graceful, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is not { } process)
            {
                return;
            }

            if (graceful)
            {
                await ChildProcess.StopAsync(process, _options.GracefulStopTimeout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ChildProcess.KillTreeAsync(process, cancellationToken).ConfigureAwait(false);
            }

            process.Dispose();
            _process = null;
            AzuriteLog.Stopped(_logger, Port);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LaunchAsync(string toolDirectory, CancellationToken cancellationToken)
    {
        var tail = new OutputTail();
        var listening = new TaskCompletionSource<Uri?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ChildProcess.Start(
            _options.NodeExecutable,
            Arguments(toolDirectory),
            _options.Location is null ? Path.GetTempPath() : LocationDirectory(),
            environment: null,
            line =>
            {
                tail.Add(line);
                AzuriteLog.Output(_logger, line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups["url"].Value));
                }
            });
        process.Exited += (_, _) => listening.TrySetResult(null);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartupTimeout);
        try
        {
            var url = await listening.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (url is null)
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it listened:{Environment.NewLine}{tail}");
            }

            var endpoint = new Uri($"{url.Scheme}://127.0.0.1:{url.Port}/{DevelopmentStorageAccount.Name}");
            await WaitUntilAnswersAsync(endpoint, timeout.Token).ConfigureAwait(false);
            _blobEndpoint = endpoint;
            _process?.Dispose(); // One that died by itself since the last start.
            _process = process;
            AzuriteLog.Started(_logger, endpoint, _options.Location is null ? "in memory" : "in " + LocationDirectory());
        }
        catch (Exception exception)
        {
            await ChildProcess.KillTreeAsync(process, CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
            if (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException(
                    $"Azurite did not answer within {_options.StartupTimeout}:{Environment.NewLine}{tail}", exception);
            }

            throw;
        }
    }

    private List<string> Arguments(string toolDirectory)
    {
        var arguments = new List<string>();
        var shutdownHook = Path.Combine(toolDirectory, "shutdown-on-stdin-close.cjs");
        if (File.Exists(shutdownHook))
        {
            arguments.AddRange(["--require", shutdownHook]);
        }

        // Port 0 on the first start lets the OS pick a free port without a race; restarts keep the port it picked.
        var port = _blobEndpoint?.Port ?? _options.Port;
        arguments.AddRange(
        [
            AzuriteInstaller.BlobEntryPoint(toolDirectory),
            "--blobHost", "127.0.0.1",
            "--blobPort", port.ToString(CultureInfo.InvariantCulture),
            "--skipApiVersionCheck",
            "--disableTelemetry",
        ]);
        arguments.AddRange(_options.Location is null ? ["--inMemoryPersistence"] : ["--location", LocationDirectory()]);
        if (_options.Loose)
        {
            arguments.Add("--loose");
        }

        if (_options.Silent)
        {
            arguments.Add("--silent");
        }

        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }

    private string LocationDirectory() => Directory.CreateDirectory(Path.GetFullPath(_options.Location!)).FullName;

    /// <summary>Any HTTP answer (even 403 to this unsigned probe) means the service is up.</summary>
    private static async Task WaitUntilAnswersAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var probe = new Uri(endpoint + "?comp=list");
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(probe, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
            {
                // HTTPS with a certificate this process does not trust: the service answered all the same.
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(ProbeInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [GeneratedRegex(@"listens on (?<url>https?://\S+)")]
    private static partial Regex ListeningLine();
}
