using System.Collections.Concurrent;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Csv;

/// <summary>
/// Delivers records to CSV files as the seed document's script exports them: one file per tenant, source and UTC day
/// of arrival, <c>{root}/{tenantId}/{source}-{yyyy-MM-dd}.csv</c>, with a header row when the file is created and the
/// columns of <see cref="CsvSinkColumns"/>. A batch is on disk (fsync) before <see cref="DeliverAsync"/> returns.
/// </summary>
/// <remarks>
/// A write torn by a crash or a failed write leaves a partial row, which would corrupt everything after it (an open
/// quote swallows the rest of the file). Before appending to a file whose length this instance did not leave it at,
/// the sink cuts the file back to its last complete row (see <see cref="CsvTail"/>); those bytes were never
/// acknowledged and their records are delivered again.
/// </remarks>
public sealed partial class CsvFileSink : IRecordSink
{
    /// <summary>This sink's kind, as <c>defender.sink</c> in its metrics.</summary>
    public const string SinkKind = "csv";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SinkMetrics? _metrics;

    // By tenant folder and source: the day file last written and the length that write left it at.
    private readonly ConcurrentDictionary<string, FileState> _files = new(StringComparer.Ordinal);

    public CsvFileSink(IOptions<CsvSinkOptions> options, TimeProvider timeProvider, ILogger<CsvFileSink>? logger = null, SinkMetrics? metrics = null)
    {
        RootPath = Path.GetFullPath(options.Value.Path);
        _time = timeProvider;
        _logger = logger ?? NullLogger<CsvFileSink>.Instance;
        _metrics = metrics;
    }

    /// <summary>The absolute root folder.</summary>
    public string RootPath { get; }

    /// <summary>The file a tenant's source is written to for records arriving on <paramref name="day"/> (UTC).</summary>
    /// <exception cref="ArgumentException">The tenant id or source name is not a safe file name.</exception>
    public string GetFilePath(string tenantId, string source, DateOnly day) =>
        SinkPathNames.UnderRoot(RootPath, tenantId, SinkPathNames.CsvFile(source, day));

    public async Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var path = GetFilePath(tenantId, source, DateOnly.FromDateTime(now.UtcDateTime));
        if (records.Count == 0)
        {
            return;
        }

        var started = _time.GetTimestamp();
        var rows = CsvRows.Encode(tenantId, source, records, now);
        var key = Path.Combine(Path.GetDirectoryName(path)!, source);
        var gate = FileGates.For(key + ".csv");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var state = _files.GetOrAdd(key, static _ => new FileState());
        try
        {
            await AppendAsync(state, path, source, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(state, source, started, exception))
        {
            throw; // Never reached: the filter only records.
        }
        finally
        {
            gate.Release();
        }

        _metrics?.WriteCompleted(SinkKind, source, _time.GetElapsedTime(started));
        Log.Delivered(_logger, tenantId, source, records.Count, path);
    }

    private async Task AppendAsync(FileState state, string path, string source, byte[] rows, CancellationToken cancellationToken)
    {
        if (!string.Equals(state.Path, path, StringComparison.Ordinal))
        {
            state.Path = path;
            state.Length = null;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = DurableFile.Open(path);
        await using (stream.ConfigureAwait(false))
        {
            var header = CsvRows.Header(source);
            var length = stream.Length;
            if (length > 0 && state.Length != length)
            {
                var complete = await CsvTail.CompleteLengthAsync(stream, header, cancellationToken).ConfigureAwait(false);
                if (complete < length)
                {
                    Log.TornTailRemoved(_logger, path, length - complete);
                    stream.SetLength(complete);
                    length = complete;
                }
            }

            stream.Seek(0, SeekOrigin.End);
            if (length == 0)
            {
                await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync(rows, cancellationToken).ConfigureAwait(false);
            // fsync: the return of DeliverAsync is the acknowledgement, so the rows must survive a power cut.
            stream.Flush(flushToDisk: true);
            state.Length = stream.Length;
        }
    }

    /// <summary>Forgets the file's length, so the next write checks for a torn row; records the failure. Returns false.</summary>
    private bool Failed(FileState state, string source, long started, Exception exception)
    {
        state.Length = null;
        _metrics?.WriteFailed(SinkKind, source, _time.GetElapsedTime(started), exception);
        return false;
    }

    /// <summary>Guarded by the file's gate.</summary>
    private sealed class FileState
    {
        public string? Path { get; set; }

        public long? Length { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Wrote {Count} records of tenant {TenantId} source {Source} to {Path}")]
        public static partial void Delivered(ILogger logger, string tenantId, string source, int count, string path);

        [LoggerMessage(2, LogLevel.Warning, "Cut {Bytes} bytes of a torn, unacknowledged row from the end of {Path}")]
        public static partial void TornTailRemoved(ILogger logger, string path, long bytes);
    }
}
