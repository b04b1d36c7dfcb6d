using System.Diagnostics;
using System.Diagnostics.Metrics;
using Defender.ServiceDefaults.Telemetry;
using Defender.ServiceDefaults.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Defender.ServiceDefaults.Tests;

/// <summary>Logs, metrics and traces leave the process over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
public sealed class OtlpExportTests
{
    private static readonly ActivitySource Product = new(TelemetrySources.Product);

    [Fact]
    public async Task Logs_metrics_and_traces_reach_the_collector_when_the_endpoint_is_set()
    {
        await using var collector = await OtlpReceiver.StartAsync();

        await RunAppAsync(new Dictionary<string, string?>
        {
            [OtlpExport.EndpointKey] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "silo-under-test",
        }, expectOtlp: true);

        Assert.Superset(new HashSet<string> { "traces", "metrics", "logs" }, collector.Signals.ToHashSet());
        Assert.True(collector.Mentions("metrics", "defender.test.work"), "the product meter's instrument");
        Assert.True(collector.Mentions("metrics", "http.server.request.duration"), "ASP.NET Core's own meter");
        Assert.True(collector.Mentions("traces", "defender.test.span"), "the product's span");
        Assert.True(collector.Mentions("traces", "silo-under-test"), "service.name from OTEL_SERVICE_NAME");
        Assert.True(collector.Mentions("traces", "GET /work"), "the request span, named after its route");
        // The test's own HttpClient span for the probe is exported (it names the URL, not a route); the server's is not.
        Assert.False(collector.Mentions("traces", "GET " + ServiceDefaultsExtensions.HealthPath), "health probes are not traced");
        Assert.True(collector.Mentions("logs", "Work done for tenant"), "the log line");
    }

    [Fact]
    public async Task Nothing_is_exported_without_the_endpoint_even_when_per_signal_endpoints_point_at_a_collector()
    {
        await using var collector = await OtlpReceiver.StartAsync();

        await RunAppAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = new Uri(collector.Endpoint, "v1/traces").ToString(),
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = new Uri(collector.Endpoint, "v1/metrics").ToString(),
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = new Uri(collector.Endpoint, "v1/logs").ToString(),
        }, expectOtlp: false);

        Assert.Empty(collector.Signals);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("http://127.0.0.1:4318", true)]
    public void Only_a_non_empty_endpoint_turns_the_exporter_on(string? endpoint, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [OtlpExport.EndpointKey] = endpoint })
            .Build();

        Assert.Equal(expected, OtlpExport.IsConfigured(configuration));
    }

    /// <summary>
    /// Starts an app with the service defaults, serves one request that records, traces and logs and one health probe,
    /// and stops it.
    /// </summary>
    private static async Task RunAppAsync(Dictionary<string, string?> settings, bool expectOtlp)
    {
        var builder = TestHosts.CreateBuilder(settings);
        builder.AddServiceDefaults();
        await using (var app = builder.Build())
        {
            var work = app.Services.GetRequiredService<IMeterFactory>().Create(TelemetrySources.Product)
                .CreateCounter<long>("defender.test.work", "{item}");
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Work");
            app.MapDefaultEndpoints();
            app.MapGet("/work", () =>
            {
                using var span = Product.StartActivity("defender.test.span");
                work.Add(1);
                logger.LogInformation("Work done for tenant {TenantId}", "t-1");
                return Results.Ok();
            });
            await app.StartAsync();
            Assert.Equal(expectOtlp, app.Services.GetRequiredService<OpenTelemetryProviders>().OtlpExporterEnabled);
            using (var http = new HttpClient { BaseAddress = app.Address() })
            {
                (await http.GetAsync("/work")).EnsureSuccessStatusCode();
                (await http.GetAsync(ServiceDefaultsExtensions.HealthPath)).EnsureSuccessStatusCode();
            }

            // Stopping flushes; disposing the host shuts the providers down.
            await app.StopAsync();
        }
    }
}
