using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Telemetry;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sinks.Telemetry;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Grains.Tests;

/// <summary>
/// A sink that does not acknowledge: the tenant shows <see cref="TenantHealth.SinkFailing"/>, its checkpoint stays, it
/// retries with backoff and delivers everything once the sink is back; other tenants keep being delivered.
/// </summary>
public sealed class TenantGrainSinkFailureTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly GrainHarness _h = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCapture _capture;

    public TenantGrainSinkFailureTests() => _capture = new MetricCapture(_meters);

    public void Dispose()
    {
        _capture.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task A_sink_outage_shows_SinkFailing_keeps_the_checkpoint_and_retries_with_backoff_until_it_recovers()
    {
        _h.Options.Jitter = 0;
        _h.Options.MaxBatchSize = 2;
        var t0 = _h.Now;
        for (var i = 0; i < 3; i++)
        {
            _h.Incidents.Publish($"r{i}", t0 - (10 - i) * Minute);
        }

        var sinkDown = true;
        _h.Sink.BeforeAcknowledge = (_, _, _) =>
            sinkDown ? Task.FromException(new IOException("SIEM collector unreachable")) : Task.CompletedTask;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);
        var afterFailure = _h.SavedCheckpoint()!;
        var firstRetryAt = afterFailure.RetryNotBefore;
        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        var notDue = await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromSeconds(20));
        var stillFailing = await grain.PollOnceAsync(CancellationToken.None);
        var secondRetryAt = _h.SavedCheckpoint()!.RetryNotBefore;

        Assert.Equal(PollOutcome.Failed, failed.Outcome);
        Assert.Equal(TenantHealth.SinkFailing, failed.Health);
        Assert.Equal(TenantHealth.SinkFailing, _h.Saved!.Health);
        Assert.Equal(TenantHealth.SinkFailing, afterFailure.Health);
        Assert.Equal("sink_failed", _h.Saved.LastError!.Code);
        Assert.Contains("SIEM collector unreachable", _h.Saved.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(DefenderSources.Incidents, _h.Saved.LastError.Source);
        Assert.Null(afterFailure.Watermark);
        Assert.Empty(afterFailure.Seen);
        Assert.Equal(t0 + TimeSpan.FromSeconds(30), firstRetryAt);
        Assert.Equal(PollOutcome.Deferred, notDue.Outcome);
        Assert.Equal(PollOutcome.Failed, stillFailing.Outcome);
        Assert.Equal(_h.Now + Minute, secondRetryAt);
        Assert.Equal(2, _h.Sink.Attempted.Count);
        Assert.Empty(_h.Sink.Delivered);

        sinkDown = false;
        _h.Clock.Advance(Minute);
        var recovered = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Delivered, recovered.Outcome);
        Assert.Equal(TenantHealth.Healthy, _h.Saved!.Health);
        Assert.Equal(["r0", "r1", "r2"], _h.Sink.DeliveredKeys().Select(key => key.Id));
        Assert.True(_h.SavedCheckpoint()!.Watermark > t0 - 8 * Minute);
        Assert.Null(_h.SavedCheckpoint()!.RetryNotBefore);
    }

    [Fact]
    public async Task A_sink_failing_on_a_later_batch_keeps_the_checkpoint_after_the_batches_it_acknowledged()
    {
        _h.Options.MaxBatchSize = 1;
        for (var i = 0; i < 3; i++)
        {
            _h.Incidents.Publish($"r{i}", _h.Now - (10 - i) * Minute);
        }

        _h.Sink.BeforeAcknowledge = (attempt, _, _) =>
            attempt == 1 ? Task.FromException(new IOException("disk full")) : Task.CompletedTask;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, failed.Health);
        Assert.Equal(1, failed.Delivered);
        Assert.Equal(["r0"], _h.SavedCheckpoint()!.Seen.Select(key => key.Id));
        Assert.Equal(_h.Now - 10 * Minute, _h.SavedCheckpoint()!.Watermark);
    }

    [Fact]
    public async Task A_sink_refusing_the_records_is_retried_slowly_as_needing_an_operator()
    {
        _h.Options.Jitter = 0;
        _h.Incidents.Publish("r0", _h.Now - 10 * Minute);
        var refusal = new SinkFaultException("splunk", "HTTP 403 from the collector: the HEC token is disabled", statusCode: 403);
        _h.Sink.BeforeAcknowledge = (_, batch, _) => Task.FromException(
            new SinkDeliveryException(batch.TenantId, batch.Source, batch.Records.Length, [new SinkFailure("splunk", "http", refusal)], []));
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, failed.Health);
        Assert.Equal("sink_refused", _h.Saved!.LastError!.Code);
        Assert.Contains("HEC token is disabled", _h.Saved.LastError.Message, StringComparison.Ordinal);
        Assert.Equal(_h.Now + PollingOptions.DefaultOperatorFailureInitialBackoff, _h.SavedCheckpoint()!.RetryNotBefore);
    }

    [Fact]
    public async Task A_sink_outage_with_a_retry_after_is_not_retried_before_it()
    {
        _h.Options.Jitter = 0;
        _h.Incidents.Publish("r0", _h.Now - 10 * Minute);
        var busy = new SinkUnavailableException("splunk", "HTTP 429 from the collector", retryAfter: TimeSpan.FromMinutes(3));
        _h.Sink.BeforeAcknowledge = (_, batch, _) => Task.FromException(
            new SinkDeliveryException(batch.TenantId, batch.Source, batch.Records.Length, [new SinkFailure("splunk", "http", busy)], []));
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal("sink_failed", _h.Saved!.LastError!.Code);
        Assert.Equal(_h.Now + TimeSpan.FromMinutes(3), _h.SavedCheckpoint()!.RetryNotBefore);
    }

    [Fact]
    public async Task A_failing_sink_outranks_a_transient_source_fault_in_the_tenants_health()
    {
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Incidents, DefenderSources.Siem] };
        _h.Incidents.FailAlways = new DefenderApiException(DefenderSources.Incidents, 500, "Internal server error");
        _h.Siem.Publish("alert-1", _h.Now - 5 * Minute);
        _h.Sink.BeforeAcknowledge = (_, _, _) => Task.FromException(new IOException("collector down"));
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, result.Health);
        Assert.Equal(TenantHealth.Faulted, _h.SavedCheckpoint(DefenderSources.Incidents)!.Health);
        Assert.Equal(TenantHealth.SinkFailing, _h.SavedCheckpoint(DefenderSources.Siem)!.Health);
        Assert.Equal("sink_failed", _h.Saved!.LastError!.Code);
    }

    [Fact]
    public async Task One_tenants_failing_sink_holds_up_no_other_tenant_and_metrics_name_the_sink()
    {
        const string failingTenant = GrainHarness.TenantId;
        const string healthyTenant = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        var other = new GrainHarness();
        other.Settings = other.Settings with { TenantId = healthyTenant };

        var options = new RecordSinksOptions();
        options.Definitions["shared"] = SinkDefinition.JsonLines("shared", new JsonLinesSinkOptions { Path = "unused-shared" });
        options.Definitions["siem-a"] = SinkDefinition.JsonLines("siem-a", new JsonLinesSinkOptions { Path = "unused-siem-a" });
        options.Default.Add("shared");
        var tenantA = new TenantSinkOptions { Mode = SinkOverrideMode.Add };
        tenantA.Sinks.Add("siem-a");
        options.Tenants[failingTenant] = tenantA;
        var monitor = new FixedOptionsMonitor<RecordSinksOptions>(options);
        var sinks = new FakeSinkFactory();
        var sinkMetrics = new SinkMetrics(_meters);
        var grainMetrics = new TenantGrainMetrics(_meters, Options.Create(new TenantMetricsOptions()), _h.Clock);
        _h.Observers.Add(grainMetrics);
        other.Observers.Add(grainMetrics);
        using var fanOut = new FanOutRecordSink(
            new TenantSinkSets(monitor, new ConfigurationTenantSinkOverrides(monitor)), sinks,
            new SinkHealthTracker(_h.Clock, sinkMetrics), _h.Clock);
        _h.SinkOverride = fanOut;
        other.SinkOverride = fanOut;
        sinks.Failing.Add("siem-a");

        _h.Incidents.Publish("a1", _h.Now - 5 * Minute);
        other.Incidents.Publish("b1", other.Now - 5 * Minute);
        var a = await _h.ActivateAsync();
        var b = await other.ActivateAsync();

        var resultA = await a.PollOnceAsync(CancellationToken.None);
        var resultB = await b.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.SinkFailing, resultA.Health);
        Assert.Contains("siem-a", _h.Saved!.LastError!.Message, StringComparison.Ordinal);
        Assert.Null(_h.SavedCheckpoint()!.Watermark);
        Assert.Equal(TenantHealth.Healthy, resultB.Health);
        Assert.Equal(1, resultB.Delivered);
        Assert.NotNull(other.SavedCheckpoint()!.Watermark);
        Assert.Equal([(failingTenant, "a1"), (healthyTenant, "b1")], sinks.Acknowledged("shared"));
        Assert.Empty(sinks.Acknowledged("siem-a"));

        var failure = Assert.Single(_capture.Of("defender.sink.failures"));
        Assert.True(failure.HasTags(("defender.sink.name", "siem-a"), ("defender.sink", "json_lines")));
        Assert.Contains(_capture.Of("defender.polls"), poll => poll.HasTags(
            ("defender.poll.outcome", "failed"), ("error.type", "sink_failing"), ("defender.tenant.id", failingTenant)));
        Assert.Contains(_capture.Of("defender.polls"), poll => poll.HasTags(
            ("defender.poll.outcome", "delivered"), ("defender.tenant.id", healthyTenant)));

        // Recovery: the retry goes to the sink that refused; the shared sink is not sent the batch again.
        sinks.Failing.Clear();
        _h.Clock.Advance(Minute);
        var recovered = await a.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.Healthy, recovered.Health);
        Assert.Equal([(failingTenant, "a1")], sinks.Acknowledged("siem-a"));
        Assert.Equal([(failingTenant, "a1"), (healthyTenant, "b1")], sinks.Acknowledged("shared"));
    }

    /// <summary>Sinks by definition name that acknowledge, or refuse while their name is in <see cref="Failing"/>.</summary>
    private sealed class FakeSinkFactory : ISinkFactory
    {
        private readonly Lock _gate = new();
        private readonly List<(string Sink, string TenantId, string Id)> _acknowledged = [];

        public HashSet<string> Failing { get; } = [];

        public IRecordSink Create(SinkDefinition definition) => new FakeSink(this, definition.Name);

        public List<(string TenantId, string Id)> Acknowledged(string sink)
        {
            lock (_gate)
            {
                return _acknowledged.Where(entry => entry.Sink == sink).Select(entry => (entry.TenantId, entry.Id)).ToList();
            }
        }

        private sealed class FakeSink(FakeSinkFactory factory, string name) : IRecordSink
        {
            public Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
            {
                lock (factory._gate)
                {
                    if (factory.Failing.Contains(name))
                    {
                        throw new SinkUnavailableException(name, $"Sink '{name}': collector answered 503 three times.");
                    }

                    factory._acknowledged.AddRange(records.Select(record => (name, tenantId, record.Id)));
                }

                return Task.CompletedTask;
            }
        }
    }

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
