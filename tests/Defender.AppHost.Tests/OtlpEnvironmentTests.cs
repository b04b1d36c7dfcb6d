using Defender.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Tests;

public sealed class OtlpEnvironmentTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public void Passes_every_otel_setting_of_the_apphost_on_unchanged()
    {
        var environment = OtlpEnvironment.For(Configuration(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=abc"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "5000"),
            ("Unrelated", "value")), "silo", "silo-0-1234");

        Assert.Equal("http://collector:4318", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal("x-api-key=abc", environment["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal("5000", environment["OTEL_METRIC_EXPORT_INTERVAL"]);
        Assert.False(environment.ContainsKey("Unrelated"));
    }

    [Fact]
    public void Names_the_service_after_the_resource_and_the_instance_after_the_process()
    {
        var environment = OtlpEnvironment.For(Configuration(("OTEL_SERVICE_NAME", "apphost")), "silo", "silo-1-1234");

        Assert.Equal("silo", environment["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=silo-1-1234", environment["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Fact]
    public void Keeps_the_apphosts_resource_attributes_but_replaces_its_instance_id()
    {
        var environment = OtlpEnvironment.For(
            Configuration(("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=lab, service.instance.id=apphost,team=soc")),
            "api", "api-1234");

        Assert.Equal("deployment.environment.name=lab,team=soc,service.instance.id=api-1234", environment["OTEL_RESOURCE_ATTRIBUTES"]);
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_exported_and_the_summary_says_how_to_turn_it_on()
    {
        var environment = OtlpEnvironment.For(Configuration(), "api", "api-1234");

        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", OtlpEnvironment.Describe(Configuration()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_names_the_collector_but_never_its_headers()
    {
        var summary = OtlpEnvironment.Describe(Configuration(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:pw@collector.example:4317/path"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer secret-token")));

        Assert.Equal("OTLP to https://collector.example:4317 (grpc)", summary);
    }
}
