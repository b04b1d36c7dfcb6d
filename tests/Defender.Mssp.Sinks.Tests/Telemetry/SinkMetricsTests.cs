using System.Text;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Telemetry;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests.Telemetry;

public sealed class SinkMetricsTests : IDisposable
{
    private const string Tenant = "5b0c2f1e-8a1d-4c3b-9f6e-2d7a4e1b3c90";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sink-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly TestMeterFactory _meters = new();
    private readonly MetricCapture _capture;
    private readonly JsonLinesFileSink _sink;

    public SinkMetricsTests()
    {
        _capture = new MetricCapture(_meters);
        _sink = new JsonLinesFileSink(
            Options.Create(new JsonLinesSinkOptions { Path = _root }), new ManualTimeProvider(), metrics: new SinkMetrics(_meters));
    }

    public void Dispose()
    {
        _capture.Dispose();
        _meters.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static DefenderRecord[] Records(int count) =>
        Enumerable.Range(1, count).Select(i => new DefenderRecord(
            i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ManualTimeProvider.DefaultStart.AddSeconds(i),
            Encoding.UTF8.GetBytes($$"""{"id":{{i}}}"""))).ToArray();

    [Fact]
    public async Task Each_durable_batch_records_its_write_duration_in_seconds_by_sink_and_source()
    {
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, Records(3), CancellationToken.None);
        await _sink.DeliverAsync(Tenant, DefenderSources.Siem, Records(1), CancellationToken.None);

        var writes = _capture.Of("defender.sink.write.duration");
        Assert.All(writes, write =>
        {
            Assert.Equal("s", write.Unit);
            Assert.Equal(JsonLinesFileSink.SinkKind, write.Tag("defender.sink"));
            Assert.Null(write.Tag("error.type"));
            Assert.Null(write.Tag("defender.tenant.id"));
        });
        Assert.Equal([DefenderSources.Incidents, DefenderSources.Siem], writes.Select(write => write.Tag("defender.source")));
    }

    [Fact]
    public async Task A_failed_write_is_recorded_with_its_error_type()
    {
        // A folder where the file should be: the write cannot open it.
        Directory.CreateDirectory(_sink.GetFilePath(Tenant, DefenderSources.Incidents));

        var failure = await Assert.ThrowsAnyAsync<Exception>(
            () => _sink.DeliverAsync(Tenant, DefenderSources.Incidents, Records(1), CancellationToken.None));

        var write = Assert.Single(_capture.Of("defender.sink.write.duration"));
        Assert.Equal(failure.GetType().FullName, write.Tag("error.type"));
    }

    [Fact]
    public async Task The_registered_sink_records_on_the_containers_meter_factory()
    {
        using var provider = new ServiceCollection()
            .AddJsonLinesSink(new ConfigurationBuilder().AddInMemoryCollection(
                new Dictionary<string, string?> { ["Sinks:JsonLines:Path"] = _root }).Build())
            .BuildServiceProvider();
        using var capture = new MetricCapture(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        await provider.GetRequiredService<IRecordSink>().DeliverAsync(Tenant, DefenderSources.Siem, Records(1), CancellationToken.None);

        Assert.Single(capture.Of("defender.sink.write.duration"));
    }
}
