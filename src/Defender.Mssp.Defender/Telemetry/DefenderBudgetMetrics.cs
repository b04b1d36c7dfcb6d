using System.Diagnostics.Metrics;
using Names = Defender.Mssp.Defender.Telemetry.DefenderTelemetryNames;

namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// The request budgets' metrics on the <c>Defender.Mssp</c> meter, beside <see cref="DefenderClientMetrics"/>:
/// <list type="bullet">
/// <item><c>defender.api.budget_waits</c> ({wait}) and <c>defender.api.budget_wait.duration</c> (s): requests held
/// back by the client's own pacing (or by a 429's pause) before they were sent, by <c>defender.source</c>. Unlike
/// <c>defender.api.throttled_waits</c> these cost the service nothing: they are the waits that prevent 429s.</item>
/// <item><c>defender.api.budget_exhausted</c> ({request}): requests not sent at all because their budget had no room
/// within <c>Defender:Budgets:MaxWait</c>, by <c>defender.source</c>.</item>
/// </list>
/// No tag carries a tenant id.
/// </summary>
public sealed class DefenderBudgetMetrics
{
    private static readonly IReadOnlyList<double> WaitBuckets = [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60];

    private readonly Counter<long> _waits;
    private readonly Histogram<double> _waitDuration;
    private readonly Counter<long> _exhausted;

    public DefenderBudgetMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Names.Product);
        _waits = meter.CreateCounter<long>("defender.api.budget_waits", "{wait}",
            "Requests that waited for their API's request budget before they were sent, by source.");
        _waitDuration = meter.CreateHistogram("defender.api.budget_wait.duration", "s",
            "How long requests waited for their API's request budget, by source.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _exhausted = meter.CreateCounter<long>("defender.api.budget_exhausted", "{request}",
            "Requests not sent because their API's request budget had no room within the longest wait, by source.");
    }

    internal void Waited(string source, TimeSpan delay)
    {
        var tag = new KeyValuePair<string, object?>(Names.Source, source);
        _waits.Add(1, tag);
        _waitDuration.Record(delay.TotalSeconds, tag);
    }

    internal void Exhausted(string source) => _exhausted.Add(1, new KeyValuePair<string, object?>(Names.Source, source));
}
