using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>
/// Grain storage's metrics on the <c>Defender.Mssp</c> meter:
/// <list type="bullet">
/// <item><c>defender.storage.operation.duration</c> (s): each read, write or delete of a state blob, by
/// <c>defender.storage.operation</c> (<c>read</c>, <c>write</c>, <c>delete</c>) and, when it failed, <c>error.type</c>
/// (<c>etag_mismatch</c>, <c>lease_lost</c>, the service's error code, or the exception's type).</item>
/// <item><c>defender.storage.conflicts</c> ({conflict}): writes storage refused because the state changed under the
/// writer (<c>etag_mismatch</c>) or its lease is gone (<c>lease_lost</c>), by operation and <c>error.type</c>. A few
/// around a failover are the fencing working; a steady stream means two silos think they own a tenant.</item>
/// </list>
/// </summary>
public sealed class StorageMetrics
{
    public const string MeterName = "Defender.Mssp";

    private static readonly IReadOnlyList<double> DurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly TimeProvider _time;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _conflicts;

    public StorageMetrics(IMeterFactory meterFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        _duration = meter.CreateHistogram("defender.storage.operation.duration", "s",
            "Duration of grain state reads, writes and deletes, by operation and error.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _conflicts = meter.CreateCounter<long>("defender.storage.conflicts", "{conflict}",
            "Grain state writes refused for a changed ETag or a lost lease.");
    }

    /// <summary>Runs <paramref name="operation"/> and records its duration and outcome.</summary>
    public async Task<TResult> MeasureAsync<TResult>(string operationName, Func<Task<TResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var started = _time.GetTimestamp();
        try
        {
            var result = await operation().ConfigureAwait(false);
            _duration.Record(_time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(StorageOperations.Tag, operationName));
            return result;
        }
        catch (Exception exception)
        {
            Failed(operationName, started, exception);
            throw;
        }
    }

    /// <inheritdoc cref="MeasureAsync{TResult}(string, Func{Task{TResult}})"/>
    public Task MeasureAsync(string operationName, Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return MeasureAsync(operationName, async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        });
    }

    private void Failed(string operationName, long started, Exception exception)
    {
        var errorType = exception switch
        {
            InconsistentStateException => StorageOperations.EtagMismatch,
            LeaseLostException => StorageOperations.LeaseLost,
            RequestFailedException { ErrorCode: { Length: > 0 } code } => code,
            RequestFailedException failed => "http_" + failed.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => exception.GetType().FullName ?? exception.GetType().Name,
        };
        var tags = new TagList { { StorageOperations.Tag, operationName }, { "error.type", errorType } };
        _duration.Record(_time.GetElapsedTime(started).TotalSeconds, tags);
        if (exception is InconsistentStateException or LeaseLostException)
        {
            _conflicts.Add(1, tags);
        }
    }
}

/// <summary>The operations <see cref="StorageMetrics"/> tells apart, and its tag values.</summary>
public static class StorageOperations
{
    public const string Tag = "defender.storage.operation";
    public const string Read = "read";
    public const string Write = "write";
    public const string Delete = "delete";
    public const string EtagMismatch = "etag_mismatch";
    public const string LeaseLost = "lease_lost";
}
