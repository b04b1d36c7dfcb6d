using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Defender.Mssp.Sinks.Telemetry;

/// <summary>
/// The sinks' metrics on the <c>Defender.Mssp</c> meter:
/// <list type="bullet">
/// <item><c>defender.sink.write.duration</c> (s): how long a batch took from being handed to a sink until it was
/// acknowledged (durable on disk, 2xx, flushed to the collector), by <c>defender.sink</c> (the sink's kind),
/// <c>defender.source</c> and, for a write that failed, <c>error.type</c> (the exception's type);</item>
/// <item><c>defender.sink.failures</c> ({failure}): deliveries a sink did not acknowledge, by <c>defender.sink.name</c>,
/// <c>defender.sink</c> and <c>error.type</c>;</item>
/// <item><c>defender.sink.healthy</c> (1): per sink, 1 while no tenant's last delivery to it failed, else 0.</item>
/// </list>
/// Sink names come from configuration (and tenant overrides), so their number stays small.
/// </summary>
public sealed class SinkMetrics
{
    public const string MeterName = "Defender.Mssp";

    private static readonly IReadOnlyList<double> WriteBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Meter _meter;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _failures;
    private readonly Lock _gate = new();
    private Func<IEnumerable<SinkStatus>>? _health;

    public SinkMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _writeDuration = _meter.CreateHistogram("defender.sink.write.duration", "s",
            "Time from handing a batch to the sink until it is durable, by sink and source.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });
        _failures = _meter.CreateCounter<long>("defender.sink.failures", "{failure}",
            "Deliveries a sink did not acknowledge, by sink name, kind and error type.");
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

    /// <summary>Counts a delivery the named sink did not acknowledge.</summary>
    public void DeliveryFailed(string sinkName, string kind, Exception exception) =>
        _failures.Add(1, new TagList
        {
            { "defender.sink.name", sinkName },
            { "defender.sink", kind },
            { "error.type", exception.GetType().FullName },
        });

    /// <summary>Reports <paramref name="statuses"/> as the <c>defender.sink.healthy</c> gauge; the first caller's source wins.</summary>
    public void ObserveHealth(Func<IEnumerable<SinkStatus>> statuses)
    {
        lock (_gate)
        {
            if (_health is not null)
            {
                return;
            }

            _health = statuses;
        }

        _meter.CreateObservableGauge("defender.sink.healthy", () => statuses().Select(status => new Measurement<int>(
                status.Healthy ? 1 : 0,
                new KeyValuePair<string, object?>("defender.sink.name", status.Name),
                new KeyValuePair<string, object?>("defender.sink", status.Kind))),
            "1", "1 while no tenant's last delivery to the sink failed, else 0; by sink name and kind.");
    }
}
