using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Defender.ServiceDefaults.Tests.Fakes;

/// <summary>Keeps every span the tracer provider exports (OpenTelemetry.Exporter.InMemory cannot be restored here).</summary>
internal sealed class CollectingSpanExporter : BaseExporter<Activity>
{
    public ConcurrentQueue<Activity> Exported { get; } = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            Exported.Enqueue(activity);
        }

        return ExportResult.Success;
    }
}

/// <summary>
/// Keeps a copy of every metric point the meter provider exports. The SDK reuses its <see cref="Metric"/> objects
/// between collections, so the points are copied while the export runs.
/// </summary>
internal sealed class CollectingMetricExporter : BaseExporter<Metric>
{
    public ConcurrentQueue<ExportedPoint> Exported { get; } = new();

    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                Exported.Enqueue(new ExportedPoint(metric.Name, metric.Unit, metric.MetricType, Value(metric.MetricType, point), tags));
            }
        }

        return ExportResult.Success;
    }

    /// <summary>The points of <paramref name="name"/> from the latest export that had any.</summary>
    public IReadOnlyList<ExportedPoint> Latest(string name) => Exported.Where(point => point.Name == name).ToList();

    private static double Value(MetricType type, in MetricPoint point) => type switch
    {
        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
        MetricType.LongGauge => point.GetGaugeLastValueLong(),
        MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
        MetricType.Histogram => point.GetHistogramCount(),
        _ => double.NaN,
    };
}

/// <summary>One exported point: the metric's name, unit and type, its value (a histogram's count) and tags.</summary>
internal sealed record ExportedPoint(string Name, string Unit, MetricType Type, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
