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
/// <para>
/// Deliveries to one file are serialised within the process so batches never interleave; the grain's single ownership
/// keeps other processes from writing the same tenant's files. A crash in the middle of a write can leave a torn last
/// line; the next delivery starts on a fresh line, so only that line is unreadable and its records, never
/// acknowledged, are delivered again.
/// </para>
/// <para>
/// Rotation (<see cref="JsonLinesSinkOptions.MaxFileSizeBytes"/>, <see cref="JsonLinesSinkOptions.RollDaily"/>) renames
/// the active file to <c>{source}.{yyyy-MM-dd}.{n}.jsonl</c> — the day its records arrived, n counting from 1 — the way
/// logrotate does, so shippers that follow files by inode keep reading; the next batch starts a new active file.
/// <see cref="JsonLinesSinkReader"/> reads a source's rotated files in order, then the active one.
/// </para>
/// </remarks>
public sealed partial class JsonLinesFileSink : IRecordSink
{
    /// <summary>This sink's kind, as <c>defender.sink</c> in its metrics.</summary>
    public const string SinkKind = "json_lines";

    private readonly JsonLinesSinkOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SinkMetrics? _metrics;

    // The UTC day the records in each active file arrived on; learnt from the file's first line after a restart.
    private readonly ConcurrentDictionary<string, DateOnly> _activeFileDays = new(StringComparer.Ordinal);

    public JsonLinesFileSink(
        IOptions<JsonLinesSinkOptions> options, TimeProvider timeProvider, ILogger<JsonLinesFileSink>? logger = null,
        SinkMetrics? metrics = null)
    {
        _options = options.Value;
        RootPath = Path.GetFullPath(_options.Path);
        _time = timeProvider;
        _logger = logger ?? NullLogger<JsonLinesFileSink>.Instance;
        _metrics = metrics;
    }

    /// <summary>The absolute root folder.</summary>
    public string RootPath { get; }

    /// <summary>The active file a tenant's source is written to.</summary>
    /// <exception cref="ArgumentException">The tenant id or source name is not a safe file name.</exception>
    public string GetFilePath(string tenantId, string source) =>
        SinkPathNames.UnderRoot(RootPath, tenantId, SinkPathNames.SourceFile(source));

    public async Task DeliverAsync(
        string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        var path = GetFilePath(tenantId, source);
        if (records.Count == 0)
        {
            return;
        }

        var started = _time.GetTimestamp();
        var now = _time.GetUtcNow();
        using var lines = JsonLinesEncoder.Encode(tenantId, source, records, now);
        var gate = FileGates.For(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RotateIfDue(path, source, lines.WrittenCount, DateOnly.FromDateTime(now.UtcDateTime));
            await DurableFile.AppendAsync(path, lines.WrittenMemory, cancellationToken).ConfigureAwait(false);
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
        Log.Delivered(_logger, tenantId, source, records.Count, lines.WrittenCount);
    }

    /// <summary>Renames the active file aside when the incoming batch would pass the size limit or starts a new day.</summary>
    private void RotateIfDue(string path, string source, long incomingBytes, DateOnly today)
    {
        if (_options.MaxFileSizeBytes <= 0 && !_options.RollDaily)
        {
            return;
        }

        var active = new FileInfo(path);
        if (!active.Exists || active.Length == 0)
        {
            _activeFileDays[path] = today;
            return;
        }

        var day = _activeFileDays.TryGetValue(path, out var known) ? known : JsonLinesFileDay.Read(active);
        var newDay = _options.RollDaily && day != today;
        var full = _options.MaxFileSizeBytes > 0 && active.Length + incomingBytes > _options.MaxFileSizeBytes;
        if (newDay || full)
        {
            var rotated = Rotate(active, source, day);
            Log.Rotated(_logger, path, rotated, newDay ? "day" : "size");
            day = today;
        }

        _activeFileDays[path] = day;
    }

    private static string Rotate(FileInfo active, string source, DateOnly day)
    {
        // Every append was fsynced already; this one makes the rotated file's durability explicit, whatever wrote it.
        using (var stream = new FileStream(active.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            stream.Flush(flushToDisk: true);
        }

        var folder = active.DirectoryName!;
        var next = Directory.EnumerateFiles(folder, SinkPathNames.RotatedSourcePattern(source))
            .Select(file => SinkPathNames.TryParseRotated(Path.GetFileName(file), source, out var fileDay, out var sequence) && fileDay == day ? sequence : 0)
            .DefaultIfEmpty(0)
            .Max() + 1;
        var target = Path.Combine(folder, SinkPathNames.RotatedSourceFile(source, day, next));
        // The next append's fsync commits the directory's journal with this rename on journaling file systems.
        File.Move(active.FullName, target, overwrite: false);
        return target;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Wrote {Count} records ({Bytes} bytes) of tenant {TenantId} source {Source}")]
        public static partial void Delivered(ILogger logger, string tenantId, string source, int count, int bytes);

        [LoggerMessage(2, LogLevel.Information, "Rotated {Path} to {RotatedPath} ({Reason})")]
        public static partial void Rotated(ILogger logger, string path, string rotatedPath, string reason);
    }
}
