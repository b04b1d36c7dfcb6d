using System.Diagnostics;
using Defender.Mssp.Defender;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Grains;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Defender.ServiceDefaults.Telemetry;
using Defender.ServiceDefaults.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Defender.ServiceDefaults.Tests;

/// <summary>
/// One poll of a real tenant grain, with the real Defender clients (MSAL included) answered by fake handlers and the
/// real JSON-lines sink, in a host set up by <c>AddServiceDefaults()</c>: what the SDK's providers export.
/// </summary>
public sealed class PollTelemetryTests : IAsyncLifetime
{
    private const string TenantId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    private readonly string _sinkRoot = Path.Combine(Path.GetTempPath(), "poll-telemetry-" + Guid.NewGuid().ToString("N"));
    private readonly FakeDefender _defender = new();
    private readonly CollectingSpanExporter _spans = new();
    private readonly CollectingMetricExporter _metrics = new();
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        _defender.Incidents.Add((101, now.AddMinutes(-30)));
        _defender.Incidents.Add((102, now.AddMinutes(-20)));

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "silo" });
        builder.Configuration.AddInMemoryCollection(DefenderEndpointsConfiguration.AllAt(new Uri("https://defender.test")));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sinks:JsonLines:Path"] = _sinkRoot });
        builder.AddServiceDefaults();
        builder.Services.AddDefenderClients(builder.Configuration);
        builder.Services.AddHttpClient(DefenderHttpClientNames.Api).ConfigurePrimaryHttpMessageHandler(() => _defender.Api);
        builder.Services.AddHttpClient(DefenderHttpClientNames.Token).ConfigurePrimaryHttpMessageHandler(() => _defender.TokenEndpoint);
        builder.Services.AddJsonLinesSink(builder.Configuration);
        builder.Services.AddTenantGrains(builder.Configuration);
        builder.Services.ConfigureTracerProvider((_, tracing) => tracing.AddProcessor(new SimpleActivityExportProcessor(_spans)));
        builder.Services.ConfigureMeterProvider((_, metrics) => metrics.AddReader(new BaseExportingMetricReader(_metrics)));
        _host = builder.Build();
        await _host.StartAsync();

        var grain = new TenantGrain(
            new TenantSettings
            {
                TenantId = TenantId,
                ClientId = "0e6f4a5b-1c2d-4e3f-8a9b-7c6d5e4f3a2b",
                ClientSecret = new Secret("not-a-real-secret"),
                Sources = [DefenderSources.Incidents],
                // Within the first slice (an hour): the poll is one read, so one page span.
                InitialLookback = TimeSpan.FromMinutes(30),
            },
            new PersistentState<TenantGrainState>(new InMemoryGrainStorage(), TenantId),
            _host.Services.GetRequiredService<TenantGrainServices>(),
            "silo-a");
        await grain.ActivateAsync(CancellationToken.None);
        var result = await grain.PollOnceAsync(CancellationToken.None);
        Assert.Equal(PollOutcome.Delivered, result.Outcome);
        _host.Services.GetRequiredService<OpenTelemetryProviders>().ForceFlush(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (Directory.Exists(_sinkRoot))
        {
            Directory.Delete(_sinkRoot, recursive: true);
        }
    }

    [Fact]
    public void The_poll_is_one_exported_span_with_token_page_sink_and_checkpoint_children_naming_the_tenant()
    {
        var poll = Assert.Single(_spans.Exported, span => span.OperationName == "defender.poll" && Tenant(span) == TenantId);
        Assert.Equal("Defender.Mssp", poll.Source.Name);
        Assert.Equal("delivered", poll.GetTagItem("defender.poll.outcome"));
        Assert.Equal(2, poll.GetTagItem("defender.records.delivered"));

        var children = _spans.Exported.Where(span => span.ParentSpanId == poll.SpanId).ToList();
        Assert.Equal(
            ["defender.api.page", "defender.checkpoint.save", "defender.sink.deliver", "defender.token"],
            children.Select(span => span.OperationName).Distinct().Order());
        Assert.All(children, span => Assert.Equal(TenantId, Tenant(span)));
        Assert.Equal(200, Assert.Single(children, span => span.OperationName == "defender.api.page").GetTagItem("http.response.status_code"));
        Assert.Equal(false, Assert.Single(children, span => span.OperationName == "defender.token").GetTagItem("defender.token.cached"));
    }

    [Fact]
    public void The_poll_metrics_are_exported_with_their_units_and_bounded_tags()
    {
        var polls = Assert.Single(_metrics.Latest("defender.polls"), point => point.Tag("defender.poll.outcome") == "delivered");
        Assert.Equal(("{poll}", MetricType.LongSum, 1d), (polls.Unit, polls.Type, polls.Value));
        Assert.Equal(DefenderSources.Incidents, polls.Tag("defender.source"));

        var duration = Assert.Single(_metrics.Latest("defender.poll.duration"));
        Assert.Equal(("s", MetricType.Histogram, 1d), (duration.Unit, duration.Type, duration.Value));

        var delivered = Assert.Single(_metrics.Latest("defender.records.delivered"));
        Assert.Equal(("{record}", 2d), (delivered.Unit, delivered.Value));
        Assert.Equal(DefenderSources.Incidents, delivered.Tag("defender.source"));

        var lag = Assert.Single(_metrics.Latest("defender.checkpoint.lag.max"));
        Assert.Equal(("s", MetricType.DoubleGauge), (lag.Unit, lag.Type));
        Assert.InRange(lag.Value, 60, 3600); // the one-minute ingestion delay and the time the test took
        Assert.Null(lag.Tag("defender.tenant.id"));
        Assert.Equal(TenantId, Assert.Single(_metrics.Latest("defender.checkpoint.lag")).Tag("defender.tenant.id"));
    }

    [Fact]
    public void The_token_api_and_sink_metrics_are_exported_too()
    {
        var tokens = Assert.Single(_metrics.Latest("defender.token.requests"));
        Assert.Equal(("{request}", 1d), (tokens.Unit, tokens.Value));
        Assert.Equal(1, _defender.TokenRequests);

        var responses = Assert.Single(_metrics.Latest("defender.api.responses"));
        Assert.Equal(("{response}", 1d, "200"), (responses.Unit, responses.Value, responses.Tag("http.response.status_code")));

        var sink = Assert.Single(_metrics.Latest("defender.sink.write.duration"));
        Assert.Equal(("s", MetricType.Histogram, 1d), (sink.Unit, sink.Type, sink.Value));
        Assert.Equal("json_lines", sink.Tag("defender.sink"));
    }

    private static string? Tenant(Activity span) => span.GetTagItem("defender.tenant.id") as string;
}
