using Defender.Mssp.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>
/// The <see cref="IRecordSink"/> the grain delivers to: it hands each batch to every sink of the tenant's set
/// (<see cref="TenantSinkSets"/>) at once and returns — acknowledges — only when all of them acknowledged. If any did
/// not, it throws <see cref="SinkDeliveryException"/> after the others finished, so the checkpoint stays and the grain
/// retries later; the outcome of every sink goes to <see cref="SinkHealthTracker"/>.
/// </summary>
/// <remarks>
/// <para>
/// Delivery is at least once. While a batch is failing for some sinks, the process remembers which records each of the
/// other sinks already acknowledged and does not send them those again when the grain retries, so one sink's outage
/// does not flood the healthy ones with copies. The memory is per tenant and source, cleared by the first batch all
/// sinks acknowledge, and lost on restart (then the healthy sinks get the batch again, with the same idempotency keys).
/// </para>
/// <para>
/// The grain delivers one batch at a time per tenant, and each sink takes a tenant's batches in the order given, so
/// per-tenant order holds at every sink; tenants do not wait for each other.
/// </para>
/// </remarks>
public sealed partial class FanOutRecordSink : IRecordSink, IDisposable
{
    /// <summary>A tenant and source's remembered acknowledgements are dropped past this many record keys.</summary>
    private const int MaxRememberedKeys = 100_000;

    private readonly TenantSinkSets _sets;
    private readonly SinkHealthTracker _health;
    private readonly SinkInstances _instances;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string TenantId, string Source), Dictionary<string, HashSet<RecordKey>>> _acknowledged = [];

    public FanOutRecordSink(
        TenantSinkSets sinkSets, ISinkFactory factory, SinkHealthTracker health, TimeProvider timeProvider,
        IOptions<RecordSinksOptions>? options = null, ILogger<FanOutRecordSink>? logger = null)
    {
        _sets = sinkSets;
        _health = health;
        _instances = new SinkInstances(factory, timeProvider, options?.Value.IdleSinkLifetime ?? RecordSinksOptions.DefaultIdleSinkLifetime);
        _logger = logger ?? NullLogger<FanOutRecordSink>.Instance;
    }

    public async Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var sinks = await _sets.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (sinks.Count == 0)
        {
            throw new SinkDeliveryException(tenantId, source, records.Count, [], []);
        }

        _health.Retain(tenantId, sinks.Select(sink => sink.Name));
        var outcomes = await Task.WhenAll(sinks.Select(sink =>
            DeliverToAsync(sink, tenantId, source, Outstanding(tenantId, source, sink, records), cancellationToken))).ConfigureAwait(false);

        var failures = outcomes.Where(outcome => outcome.Failure is not null).Select(outcome => outcome.Failure!).ToList();
        Remember(tenantId, source, records, outcomes, failures.Count == 0);
        if (failures.Count > 0)
        {
            throw new SinkDeliveryException(
                tenantId, source, records.Count, failures,
                outcomes.Where(outcome => outcome.Failure is null).Select(outcome => outcome.Sink.Name).ToList());
        }
    }

    public void Dispose() => _instances.Dispose();

    private async Task<Outcome> DeliverToAsync(
        SinkDefinition sink, string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            if (records.Count > 0)
            {
                using var lease = _instances.Acquire(sink);
                await lease.Sink.DeliverAsync(tenantId, source, records, cancellationToken).ConfigureAwait(false);
            }

            _health.Succeeded(tenantId, sink);
            return new Outcome(sink, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            _health.Failed(tenantId, sink, exception);
            Log.SinkFailed(_logger, exception, sink.Name, sink.Kind, tenantId, source, records.Count);
            return new Outcome(sink, new SinkFailure(sink.Name, sink.Kind, exception));
        }
    }

    /// <summary>The records of the batch the sink has not acknowledged yet in an earlier, partly failed delivery.</summary>
    private IReadOnlyList<DefenderRecord> Outstanding(string tenantId, string source, SinkDefinition sink, IReadOnlyList<DefenderRecord> records)
    {
        lock (_gate)
        {
            return _acknowledged.TryGetValue((tenantId, source), out var bySink) && bySink.TryGetValue(sink.Fingerprint, out var keys)
                ? records.Where(record => !keys.Contains(record.Key)).ToList()
                : records;
        }
    }

    private void Remember(string tenantId, string source, IReadOnlyList<DefenderRecord> records, Outcome[] outcomes, bool allAcknowledged)
    {
        lock (_gate)
        {
            if (allAcknowledged)
            {
                _acknowledged.Remove((tenantId, source));
                return;
            }

            if (!_acknowledged.TryGetValue((tenantId, source), out var bySink))
            {
                bySink = new Dictionary<string, HashSet<RecordKey>>(StringComparer.Ordinal);
                _acknowledged[(tenantId, source)] = bySink;
            }

            foreach (var outcome in outcomes.Where(outcome => outcome.Failure is null))
            {
                if (!bySink.TryGetValue(outcome.Sink.Fingerprint, out var keys))
                {
                    keys = [];
                    bySink[outcome.Sink.Fingerprint] = keys;
                }

                keys.UnionWith(records.Select(record => record.Key));
                if (keys.Count > MaxRememberedKeys)
                {
                    bySink.Remove(outcome.Sink.Fingerprint);
                }
            }
        }
    }

    private sealed record Outcome(SinkDefinition Sink, SinkFailure? Failure);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Sink {Sink} ({Kind}) did not acknowledge {Count} records of tenant {TenantId} source {Source}")]
        public static partial void SinkFailed(ILogger logger, Exception exception, string sink, string kind, string tenantId, string source, int count);
    }
}
