using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Defender.Mssp.Sinks.Telemetry;

/// <summary>
/// The sinks' metric on the <c>Defender.Mssp</c> meter: <c>defender.sink.write.duration</c> (s), how long a batch took
/// from being handed to the sink until it was durable (waiting for the file, writing, fsync), by <c>defender.sink</c>
/// (the sink's kind), <c>defender.source</c> and, for a write that failed, <c>error.type</c> (the exception's type).
/// </summary>
public sealed class SinkMetrics
{
    public const string MeterName = "Defender.Mssp";

    private static readonly IReadOnlyList<double> WriteBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _writeDuration;

    public SinkMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _writeDuration = meterFactory.Create(MeterName).CreateHistogram("defender.sink.write.duration", "s",
            "Time from handing a batch to the sink until it is durable, by sink and source.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });
    }

    public void WriteCompleted(string sink, string source, TimeSpan duration) =>
        _writeDuration.Record(duration.TotalSeconds, new TagList { { "defender.sink", sink }, { "defender.source", source } });

    /// <summary>Records a failed write. Returns false, so it can sit in an exception filter that only records.</summary>
    public bool WriteFailed(string sink, string source, TimeSpan duration, Exception exception)
    {
        _writeDuration.Record(duration.TotalSeconds, new TagList
        {
            { "defender.sink", sink },
            { "defender.source", source },
            { "error.type", exception.GetType().FullName },
        });
        return false;
    }
}
