using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Microsoft.Extensions.Options;
using Names = Defender.Mssp.Grains.Telemetry.GrainTelemetryNames;

namespace Defender.Mssp.Grains.Telemetry;

/// <summary>
/// The tenant grains' metrics on the <c>Defender.Mssp</c> meter, recorded from each completed turn
/// (<see cref="ITenantGrainObserver"/>), so the grain's logic knows nothing of them:
/// <list type="bullet">
/// <item><c>defender.polls</c> ({poll}): polls of a source, by <c>defender.source</c> and <c>defender.poll.outcome</c>
/// (<c>delivered</c>, <c>nothing_new</c>, <c>failed</c>), with <c>error.type</c> (the source's health, or
/// <c>checkpoint_write_failed</c>) on failures. A source backing off is not polled and not counted.</item>
/// <item><c>defender.poll.duration</c> (s): time spent on one source in a turn, same tags.</item>
/// <item><c>defender.records.delivered</c> ({record}): record versions the sink acknowledged, by <c>defender.source</c>.</item>
/// <item><c>defender.checkpoint.lag.max</c> (s): now − watermark, the largest over this silo's tenants, by <c>defender.source</c>.</item>
/// <item><c>defender.checkpoint.lag</c> (s): now − watermark per <c>defender.tenant.id</c> and <c>defender.source</c>,
/// only while per-tenant series are on (<see cref="TenantMetricsOptions"/>).</item>
/// </list>
/// While per-tenant series are on, <c>defender.polls</c>, <c>defender.poll.duration</c> and
/// <c>defender.records.delivered</c> carry <c>defender.tenant.id</c> too; summing by source stays right either way.
/// </summary>
/// <remarks>
/// The lag follows the tenants this silo hosts: a paused tenant (it is not behind, it was told to stop) and a
/// deactivated one (another silo reports it now) leave the gauges. A source is in the gauges once a turn has reported
/// its watermark, i.e. from its first complete window on. Observations come from the metrics collector's thread while
/// turns update the map, hence the concurrent map of immutable per-tenant snapshots.
/// </remarks>
public sealed class TenantGrainMetrics : ITenantGrainObserver
{
    /// <summary>Seconds: a quiet poll takes milliseconds, a backlog minutes.</summary>
    private static readonly IReadOnlyList<double> PollDurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly TenantMetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly Counter<long> _polls;
    private readonly Histogram<double> _pollDuration;
    private readonly Counter<long> _delivered;
    private readonly ConcurrentDictionary<string, FrozenDictionary<string, DateTimeOffset>> _watermarks = new(StringComparer.Ordinal);

    public TenantGrainMetrics(IMeterFactory meterFactory, IOptions<TenantMetricsOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options.Value;
        _time = timeProvider;
        var meter = meterFactory.Create(Names.Product);
        _polls = meter.CreateCounter<long>("defender.polls", "{poll}", "Polls of a tenant's source, by source and outcome.");
        _pollDuration = meter.CreateHistogram("defender.poll.duration", "s", "Time spent polling one source of a tenant.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PollDurationBuckets });
        _delivered = meter.CreateCounter<long>("defender.records.delivered", "{record}",
            "Record versions delivered to the sink and acknowledged, by source.");
        meter.CreateObservableGauge("defender.checkpoint.lag.max", ObserveMaxLag, "s",
            "How far the furthest-behind tenant's checkpoint trails now, by source.");
        meter.CreateObservableGauge("defender.checkpoint.lag", ObserveTenantLag, "s",
            "How far each tenant's checkpoint trails now, by tenant and source (only with per-tenant series).");
    }

    /// <summary>Tenants whose turns this silo reports (hosted, not paused).</summary>
    public int TrackedTenants => _watermarks.Count;

    /// <summary>Whether measurements carry the tenant id now.</summary>
    public bool PerTenantSeriesEnabled => _options.PerTenantSeries switch
    {
        PerTenantSeries.Always => true,
        PerTenantSeries.Never => false,
        _ => _watermarks.Count <= _options.PerTenantSeriesMaxTenants,
    };

    public void OnPollCompleted(TenantPollResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome == PollOutcome.Paused)
        {
            _watermarks.TryRemove(result.TenantId, out _);
            return;
        }

        RememberWatermarks(result);
        var perTenant = PerTenantSeriesEnabled;
        foreach (var source in result.Sources)
        {
            if (source.Status == SourcePollStatus.NotDue)
            {
                continue;
            }

            var tags = new TagList
            {
                { Names.Source, source.Source },
                { Names.PollOutcome, TelemetryEnumNames<SourcePollStatus>.Of(source.Status) },
            };
            if (source.Status == SourcePollStatus.Failed)
            {
                tags.Add(Names.ErrorType, ErrorType(source));
            }

            if (perTenant)
            {
                tags.Add(Names.TenantId, result.TenantId);
            }

            _polls.Add(1, tags);
            _pollDuration.Record(source.Duration.TotalSeconds, tags);
            if (source.Delivered > 0)
            {
                _delivered.Add(source.Delivered, perTenant
                    ? new TagList { { Names.Source, source.Source }, { Names.TenantId, result.TenantId } }
                    : new TagList { { Names.Source, source.Source } });
            }
        }
    }

    public void OnDeactivated(string tenantId) => _watermarks.TryRemove(tenantId, out _);

    private static string ErrorType(SourcePollResult source) =>
        source.Error?.Code == FailureClassifier.CheckpointWriteCode
            ? FailureClassifier.CheckpointWriteCode
            : TelemetryEnumNames<TenantHealth>.Of(source.Health);

    /// <summary>
    /// Merges the turn's watermarks into the tenant's: a turn cut short by a storage failure reports only the sources
    /// it reached, and the others keep theirs.
    /// </summary>
    private void RememberWatermarks(TenantPollResult result)
    {
        var reported = result.Sources.Where(source => source.Watermark is not null).ToList();
        if (reported.Count == 0 && _watermarks.ContainsKey(result.TenantId))
        {
            return;
        }

        _watermarks.AddOrUpdate(
            result.TenantId,
            static (_, sources) => sources.ToFrozenDictionary(source => source.Source, source => source.Watermark!.Value, StringComparer.Ordinal),
            static (_, known, sources) =>
            {
                var merged = new Dictionary<string, DateTimeOffset>(known, StringComparer.Ordinal);
                foreach (var source in sources)
                {
                    merged[source.Source] = source.Watermark!.Value;
                }

                return merged.ToFrozenDictionary(StringComparer.Ordinal);
            },
            reported);
    }

    private IEnumerable<Measurement<double>> ObserveMaxLag()
    {
        var now = _time.GetUtcNow();
        var max = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (_, sources) in _watermarks)
        {
            foreach (var (source, watermark) in sources)
            {
                var lag = Lag(now, watermark);
                if (!max.TryGetValue(source, out var current) || lag > current)
                {
                    max[source] = lag;
                }
            }
        }

        return max.Select(pair => new Measurement<double>(pair.Value, new KeyValuePair<string, object?>(Names.Source, pair.Key)));
    }

    private IEnumerable<Measurement<double>> ObserveTenantLag()
    {
        if (!PerTenantSeriesEnabled)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        return _watermarks.SelectMany(tenant => tenant.Value.Select(source => new Measurement<double>(
            Lag(now, source.Value),
            new KeyValuePair<string, object?>(Names.TenantId, tenant.Key),
            new KeyValuePair<string, object?>(Names.Source, source.Key)))).ToList();
    }

    // The watermark trails now by at least the ingestion delay; a clock that stepped back must not show a negative lag.
    private static double Lag(DateTimeOffset now, DateTimeOffset watermark) => Math.Max(0, (now - watermark).TotalSeconds);
}
