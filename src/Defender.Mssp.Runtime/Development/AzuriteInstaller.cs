using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Development;

/// <summary>
/// Installs the pinned Azurite with <c>npm ci</c> when node_modules is missing or holds another version. Parallel test
/// processes serialise on a lock file, so only the first installs and the others find it done.
/// </summary>
internal static class AzuriteInstaller
{
    private static readonly TimeSpan LockRetryDelay = TimeSpan.FromMilliseconds(250);

    public static string BlobEntryPoint(string toolDirectory) =>
        Path.Combine(toolDirectory, "node_modules", "azurite", "dist", "src", "blob", "main.js");

    public static async Task EnsureInstalledAsync(
        string toolDirectory, AzuriteServerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        if (IsInstalled(toolDirectory))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.InstallTimeout);
        await using var installLock = await AcquireLockAsync(toolDirectory, timeout.Token).ConfigureAwait(false);
        if (IsInstalled(toolDirectory))
        {
            return;
        }

        AzuriteLog.Installing(logger, toolDirectory);
        await RunNpmCiAsync(toolDirectory, options, logger, timeout.Token).ConfigureAwait(false);
        if (!IsInstalled(toolDirectory))
        {
            throw new InvalidOperationException($"npm ci in '{toolDirectory}' finished but Azurite {PinnedVersion(toolDirectory)} is not in node_modules.");
        }

        AzuriteLog.Installed(logger, toolDirectory);
    }

    private static bool IsInstalled(string toolDirectory)
    {
        var installedPackage = Path.Combine(toolDirectory, "node_modules", "azurite", "package.json");
        return File.Exists(BlobEntryPoint(toolDirectory))
            && File.Exists(installedPackage)
            && ReadString(installedPackage, "version") == PinnedVersion(toolDirectory);
    }

    private static string? PinnedVersion(string toolDirectory) =>
        ReadString(Path.Combine(toolDirectory, "package.json"), "dependencies", "azurite");

    private static string? ReadString(string jsonFile, params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(jsonFile));
        var element = document.RootElement;
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }

    private static async Task RunNpmCiAsync(string toolDirectory, AzuriteServerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var tail = new OutputTail();
        var npm = OperatingSystem.IsWindows() && options.NpmExecutable == "npm" ? "npm.cmd" : options.NpmExecutable;
        // --ignore-scripts: Azurite runs from its prebuilt dist; no install script of its dependency tree is needed.
        using var process = ChildProcess.Start(
            npm, ["ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"], toolDirectory, environment: null,
            line => { tail.Add(line); AzuriteLog.Output(logger, line); });
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ChildProcess.KillTreeAsync(process, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in '{toolDirectory}' failed with exit code {process.ExitCode}:{Environment.NewLine}{tail}");
        }
    }

    /// <summary>An exclusive lock on a file named after the tool folder, in the temp folder so the repo stays clean.</summary>
    private static async Task<FileStream> AcquireLockAsync(string toolDirectory, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(toolDirectory)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"defender-mssp-azurite-{hash}.lock");
        while (true)
        {
            try
            {
                // FileShare.None is an advisory flock on Unix, honoured by every .NET process that opens the file.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
