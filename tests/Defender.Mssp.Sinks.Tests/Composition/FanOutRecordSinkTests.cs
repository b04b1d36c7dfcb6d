using Defender.Mssp.Records;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests.Composition;

/// <summary>
/// The sink the grain delivers to: a batch is acknowledged only when every sink of the tenant acknowledged it, a sink
/// that already took a batch is not sent it again while the grain retries for another one, and each tenant's set is
/// the default set combined with its own override.
/// </summary>
public sealed class FanOutRecordSinkTests : IDisposable
{
    private const string Source = "incidents";
    private readonly RecordSinksOptions _options = new();
    private readonly Dictionary<string, TenantSinkOverride> _overrides = new(StringComparer.Ordinal);
    private readonly RecordingFactory _factory = new();
    private readonly SinkHealthTracker _health = new(TimeProvider.System);
    private readonly FanOutRecordSink _fanOut;

    public FanOutRecordSinkTests()
    {
        Define("files");
        Define("splunk");
        Define("archive");
        _options.Default.AddRange(["files", "splunk"]);
        var monitor = new FixedOptionsMonitor(_options);
        _fanOut = new FanOutRecordSink(new TenantSinkSets(monitor, new DictionaryOverrides(_overrides)), _factory, _health, TimeProvider.System);
    }

    public void Dispose() => _fanOut.Dispose();

    [Fact]
    public async Task A_batch_is_acknowledged_only_when_every_sink_of_the_tenant_acknowledged_it()
    {
        _factory.Failing.Add("splunk");
        var batch = TestRecords.Simple(3);

        var refused = await Assert.ThrowsAsync<SinkDeliveryException>(() => _fanOut.DeliverAsync(TestRecords.Tenant, Source, batch, CancellationToken.None));

        Assert.Equal(["splunk"], refused.Failures.Select(failure => failure.SinkName));
        Assert.Equal(["files"], refused.AcknowledgedBy);
        Assert.Equal(3, _factory.Received("files", TestRecords.Tenant).Count);
        Assert.Equal(["splunk"], _health.GetFailingSinks(TestRecords.Tenant).Select(sink => sink.SinkName));
    }

    [Fact]
    public async Task While_the_grain_retries_for_a_failing_sink_the_sink_that_took_the_batch_is_not_sent_it_again()
    {
        var batch = TestRecords.Simple(3);
        _factory.Failing.Add("splunk");
        await Assert.ThrowsAsync<SinkDeliveryException>(() => _fanOut.DeliverAsync(TestRecords.Tenant, Source, batch, CancellationToken.None));
        await Assert.ThrowsAsync<SinkDeliveryException>(() => _fanOut.DeliverAsync(TestRecords.Tenant, Source, batch, CancellationToken.None));

        _factory.Failing.Clear();
        await _fanOut.DeliverAsync(TestRecords.Tenant, Source, batch, CancellationToken.None);
        var next = TestRecords.Simple(2, "n");
        await _fanOut.DeliverAsync(TestRecords.Tenant, Source, next, CancellationToken.None);

        Assert.Equal(batch.Concat(next).Select(r => r.Key), _factory.Received("files", TestRecords.Tenant).Select(r => r.Key));
        Assert.Equal(batch.Concat(next).Select(r => r.Key), _factory.Received("splunk", TestRecords.Tenant).Select(r => r.Key));
        Assert.Empty(_health.GetFailingSinks(TestRecords.Tenant));
    }

    [Fact]
    public async Task A_replacing_override_sends_the_tenant_only_to_its_own_sinks_and_others_keep_the_defaults()
    {
        _overrides[TestRecords.Tenant] = new TenantSinkOverride(SinkOverrideMode.Replace, [_options.Definitions["archive"]]);

        await _fanOut.DeliverAsync(TestRecords.Tenant, Source, TestRecords.Simple(2), CancellationToken.None);
        await _fanOut.DeliverAsync(TestRecords.OtherTenant, Source, TestRecords.Simple(1), CancellationToken.None);

        Assert.Equal(2, _factory.Received("archive", TestRecords.Tenant).Count);
        Assert.Empty(_factory.Received("files", TestRecords.Tenant));
        Assert.Empty(_factory.Received("splunk", TestRecords.Tenant));
        Assert.Single(_factory.Received("files", TestRecords.OtherTenant));
        Assert.Single(_factory.Received("splunk", TestRecords.OtherTenant));
        Assert.Empty(_factory.Received("archive", TestRecords.OtherTenant));
    }

    [Fact]
    public async Task An_adding_override_keeps_the_defaults_and_a_same_named_sink_takes_the_defaults_place()
    {
        var ownSplunk = SinkDefinition.JsonLines("splunk", new JsonLinesSinkOptions { Path = "tenant-own-splunk" });
        _overrides[TestRecords.Tenant] = new TenantSinkOverride(SinkOverrideMode.Add, [_options.Definitions["archive"], ownSplunk]);

        var sinks = await new TenantSinkSets(new FixedOptionsMonitor(_options), new DictionaryOverrides(_overrides)).GetAsync(TestRecords.Tenant, CancellationToken.None);

        Assert.Equal(["files", "archive", "splunk"], sinks.Select(sink => sink.Name));
        Assert.Same(ownSplunk, sinks[^1]);
    }

    [Fact]
    public async Task A_tenant_without_any_sink_is_never_acknowledged()
    {
        _overrides[TestRecords.Tenant] = new TenantSinkOverride(SinkOverrideMode.Replace, []);

        await Assert.ThrowsAsync<SinkDeliveryException>(() => _fanOut.DeliverAsync(TestRecords.Tenant, Source, TestRecords.Simple(1), CancellationToken.None));
    }

    private void Define(string name) =>
        _options.Definitions[name] = SinkDefinition.JsonLines(name, new JsonLinesSinkOptions { Path = name });

    /// <summary>Sinks that record what they were given, by definition name; a name in <see cref="Failing"/> throws.</summary>
    private sealed class RecordingFactory : ISinkFactory
    {
        private readonly Dictionary<(string Sink, string Tenant), List<DefenderRecord>> _received = [];

        public HashSet<string> Failing { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<DefenderRecord> Received(string sink, string tenant)
        {
            lock (_received)
            {
                return _received.TryGetValue((sink, tenant), out var records) ? [.. records] : [];
            }
        }

        public IRecordSink Create(SinkDefinition definition) => new RecordingSink(definition.Name, this);

        private sealed class RecordingSink(string name, RecordingFactory factory) : IRecordSink
        {
            public Task DeliverAsync(string tenantId, string source, IReadOnlyList<DefenderRecord> records, CancellationToken cancellationToken)
            {
                if (factory.Failing.Contains(name))
                {
                    throw new SinkUnavailableException(name, $"{name} is down");
                }

                lock (factory._received)
                {
                    if (!factory._received.TryGetValue((name, tenantId), out var list))
                    {
                        factory._received[(name, tenantId)] = list = [];
                    }

                    list.AddRange(records);
                }

                return Task.CompletedTask;
            }
        }
    }

    private sealed class DictionaryOverrides(Dictionary<string, TenantSinkOverride> overrides) : ITenantSinkOverrides
    {
        public ValueTask<TenantSinkOverride?> GetAsync(string tenantId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(overrides.GetValueOrDefault(tenantId));
    }

    private sealed class FixedOptionsMonitor(RecordSinksOptions value) : IOptionsMonitor<RecordSinksOptions>
    {
        public RecordSinksOptions CurrentValue => value;

        public RecordSinksOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RecordSinksOptions, string?> listener) => null;
    }
}
