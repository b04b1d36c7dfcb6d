using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Defender.Mssp.TestKit.Sinks;

/// <summary>
/// A real rsyslogd (Debian's rsyslog package) run as a child process for one test class: its own minimal configuration
/// (no /dev/log, no system log, nothing of /etc/rsyslog.conf), imtcp on a free loopback port, and every message's MSG
/// part written as one line (<c>%msg%</c>) to a file the test reads — and, to <see cref="ParsedOutputPath"/>, one JSON
/// object per message with the raw message and the fields rsyslog's own RFC 5424 parser found in it
/// (<see cref="ReadMessages"/>). A missing rsyslogd fails the test with the reason; CI installs the package.
/// </summary>
public sealed class RsyslogReceiver : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Process _process;
    private readonly string _folder;

    private RsyslogReceiver(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    /// <summary>The TCP port rsyslog listens on, on 127.0.0.1 (octet-counted and LF-framed messages both accepted).</summary>
    public int Port { get; }

    /// <summary>The file rsyslog writes each received message's MSG part to, one per line.</summary>
    public string OutputPath => Path.Combine(_folder, "messages.log");

    /// <summary>One JSON object per received message, as <see cref="RsyslogMessage"/> describes.</summary>
    public string ParsedOutputPath => Path.Combine(_folder, "parsed.jsonl");

    /// <summary>Starts rsyslogd and waits until it listens.</summary>
    /// <param name="tlsCertificate">
    /// When given, the input speaks syslog over TLS (RFC 5425) with this certificate and its private key, through
    /// rsyslog's GnuTLS driver (Debian package rsyslog-gnutls); clients are not asked for certificates.
    /// </param>
    /// <exception cref="InvalidOperationException">rsyslogd (or its TLS driver) is not installed, or did not start listening.</exception>
    public static async Task<RsyslogReceiver> StartAsync(
        X509Certificate2? tlsCertificate = null, CancellationToken cancellationToken = default)
    {
        var executable = FindExecutable() ?? throw new InvalidOperationException(
            "rsyslogd was not found (PATH, /usr/sbin). The syslog sink's tests drive a real rsyslog and are never skipped: "
            + "install it with `apt-get install -y rsyslog` (.ci/run does).");

        var folder = Path.Combine(Path.GetTempPath(), "rsyslog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "work"));
        var portFile = Path.Combine(folder, "port");
        var output = Path.Combine(folder, "messages.log");
        var parsed = Path.Combine(folder, "parsed.jsonl");
        var config = Path.Combine(folder, "rsyslog.conf");
        var tls = tlsCertificate is null ? ("", "") : await WriteTlsFilesAsync(tlsCertificate, folder, cancellationToken).ConfigureAwait(false);
        // Control characters are kept as sent (not #012), so the tests see exactly what the sink escaped.
        await File.WriteAllTextAsync(config, $$"""
            global(workDirectory="{{folder}}/work" maxMessageSize="1m" parser.escapeControlCharactersOnReceive="off"{{tls.Item1}})
            module(load="imtcp"{{tls.Item2}})
            template(name="msgOnly" type="string" string="%msg%\n")
            template(name="parsed" type="string" string="{\"raw\":\"%rawmsg:::json%\",\"version\":\"%protocol-version%\",\"facility\":\"%syslogfacility%\",\"severity\":\"%syslogseverity%\",\"timestamp\":\"%timereported:::date-rfc3339,json%\",\"hostname\":\"%hostname:::json%\",\"appName\":\"%app-name:::json%\",\"procId\":\"%procid:::json%\",\"msgId\":\"%msgid:::json%\",\"structuredData\":\"%structured-data:::json%\",\"msg\":\"%msg:::json%\"}\n")
            ruleset(name="received") {
              action(type="omfile" file="{{output}}" template="msgOnly")
              action(type="omfile" file="{{parsed}}" template="parsed")
            }
            input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="{{portFile}}" ruleset="received")
            """, cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-n", "-f", config, "-i", Path.Combine(folder, "rsyslogd.pid") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("rsyslogd did not start.");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(portFile) && int.TryParse((await File.ReadAllTextAsync(portFile, cancellationToken).ConfigureAwait(false)).Trim(),
                    NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
            {
                return new RsyslogReceiver(process, folder, port);
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        Stop(process);
        string diagnostics;
        lock (log)
        {
            diagnostics = log.ToString();
        }

        throw new InvalidOperationException($"rsyslogd did not start listening (exit code {(process.HasExited ? process.ExitCode : -1)}): {diagnostics}");
    }

    /// <summary>The certificate and key as PEM files, and the global and imtcp settings that make the input TLS-only.</summary>
    private static async Task<(string Global, string Module)> WriteTlsFilesAsync(
        X509Certificate2 certificate, string folder, CancellationToken cancellationToken)
    {
        var driver = Directory.EnumerateFiles("/usr/lib", "lmnsd_gtls.so", SearchOption.AllDirectories).FirstOrDefault();
        if (driver is null)
        {
            throw new InvalidOperationException(
                "rsyslog's TLS driver (lmnsd_gtls.so) was not found. The syslog TLS test drives a real rsyslog and is never skipped: "
                + "install it with `apt-get install -y rsyslog-gnutls` (.ci/run does).");
        }

        var certificatePath = Path.Combine(folder, "collector.pem");
        var keyPath = Path.Combine(folder, "collector.key");
        using System.Security.Cryptography.AsymmetricAlgorithm key = (System.Security.Cryptography.AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The collector certificate needs its private key.");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem(), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), cancellationToken).ConfigureAwait(false);
        return (
            $" defaultNetstreamDriverCAFile=\"{certificatePath}\" defaultNetstreamDriverCertFile=\"{certificatePath}\" defaultNetstreamDriverKeyFile=\"{keyPath}\"",
            " streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\"");
    }

    /// <summary>The lines rsyslog has written so far.</summary>
    public IReadOnlyList<string> ReadLines() => ReadWholeLines(OutputPath);

    private static IReadOnlyList<string> ReadWholeLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var text = reader.ReadToEnd();
        // Only whole lines: rsyslog may be in the middle of writing the last one.
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    /// <summary>The messages rsyslog has received so far, as its parser saw them.</summary>
    public IReadOnlyList<RsyslogMessage> ReadMessages() =>
        ReadWholeLines(ParsedOutputPath).Select(line => JsonSerializer.Deserialize<RsyslogMessage>(line, Json)!).ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived, or the (generous) timeout passes.</summary>
    public async Task<IReadOnlyList<RsyslogMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var messages = ReadMessages();
            if (messages.Count >= count || DateTime.UtcNow >= deadline)
            {
                return messages;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> lines are written, or the (generous) timeout passes.</summary>
    public async Task<IReadOnlyList<string>> WaitForLinesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = ReadLines();
            if (lines.Count >= count || DateTime.UtcNow >= deadline)
            {
                return lines;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop(_process);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "rsyslogd"))
            .Concat(Candidates)
            .FirstOrDefault(File.Exists);
}
