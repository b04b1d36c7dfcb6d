using System.Collections.Concurrent;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Delivers records to JSON-lines files, <c>{root}/{tenantId}/{source}.jsonl</c>, one <see cref="RecordEnvelope"/> per
/// line — the shape a log shipper (Filebeat, the Azure Monitor agent) forwards to a SIEM. A batch is on disk (fsync)
/// before <see cref="DeliverAsync"/> returns, which is the acknowledgement the grain's checkpoint waits for.
/// </summary>
/// <remarks>
/// Deliveries to one file are serialised within the process so batches never interleave; the grain's single ownership
/// keeps other processes from writing the same tenant's files. A crash in the middle of a write can leave a torn last
/// line; the next delivery starts on a fresh line, so only that line is unreadable and its records, never
/// acknowledged, are delivered again.
/// </remarks>
public sealed partial class JsonLinesFileSink : IRecordSink
{
    /// <summary>This sink's kind, as <c>defender.sink</c> in its metrics.</summary>
    public const string SinkKind = "json_lines";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _fileGates = new(StringComparer.Ordinal);
    private readonly SinkMetrics? _metrics;

    public JsonLinesFileSink(
        IOptions<JsonLinesSinkOptions> options, TimeProvider timeProvider, ILogger<JsonLinesFileSink>? logger = null,
        SinkMetrics? metrics = null)
    {
        RootPath = Path.GetFullPath(options.Value.Path);
        _time = timeProvider;
        _logger = logger ?? NullLogger<JsonLinesFileSink>.Instance;
        _metrics = metrics;
    }

    /// <summary>The absolute root folder.</summary>
    public string RootPath { get; }

    /// <summary>The file a tenant's source is written to.</summary>
    /// <exception cref="ArgumentException">The tenant id or source name is not a safe file name.</exception>
    public string GetFilePath(string tenantId, string source)
    {
        var path = Path.GetFullPath(Path.Combine(RootPath, SinkPathNames.TenantFolder(tenantId), SinkPathNames.SourceFile(source)));
        // Belt and braces: the names' alphabet already rules out leaving the root.
        return path.StartsWith(RootPath + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("The tenant id or source name leads outside the sink's folder.", nameof(tenantId));
    }

    public async Task DeliverAsync(
        string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        var path = GetFilePath(tenantId, source);
        if (records.Count == 0)
        {
            return;
        }

        var started = _time.GetTimestamp();
        var lines = JsonLinesEncoder.Encode(tenantId, source, records, _time.GetUtcNow());
        var gate = _fileGates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AppendDurablyAsync(path, lines, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_metrics?.WriteFailed(SinkKind, source, _time.GetElapsedTime(started), exception) == true)
        {
            throw; // Never reached: the filter only records.
        }
        finally
        {
            gate.Release();
        }

        _metrics?.WriteCompleted(SinkKind, source, _time.GetElapsedTime(started));
        Log.Delivered(_logger, tenantId, source, records.Count, lines.Length);
    }

    private static async Task AppendDurablyAsync(string path, ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
            BufferSize = 0,
        });
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length > 0 && !await EndsWithNewLineAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
            // fsync: the return of DeliverAsync is the acknowledgement, so the bytes must survive a power cut.
            stream.Flush(flushToDisk: true);
        }
    }

    private static async Task<bool> EndsWithNewLineAsync(FileStream stream, CancellationToken cancellationToken)
    {
        stream.Seek(-1, SeekOrigin.End);
        var last = new byte[1];
        await stream.ReadExactlyAsync(last, cancellationToken).ConfigureAwait(false);
        return last[0] == (byte)'\n';
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Wrote {Count} records ({Bytes} bytes) of tenant {TenantId} source {Source}")]
        public static partial void Delivered(ILogger logger, string tenantId, string source, int count, int bytes);
    }
}
