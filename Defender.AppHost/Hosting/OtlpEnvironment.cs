using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Hosting;

/// <summary>
/// The OpenTelemetry settings a project is started with, as Aspire's <c>WithOtlpExporter</c> gives them: every
/// <c>OTEL_*</c> setting of the AppHost (environment or command line — endpoint, protocol, headers, export intervals)
/// passed on unchanged, and per process its own <c>OTEL_SERVICE_NAME</c> and a <c>service.instance.id</c> in
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>. The children's service defaults export over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is among them.
/// </summary>
public static class OtlpEnvironment
{
    public const string Prefix = "OTEL_";

    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";

    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    public const string ResourceAttributesKey = "OTEL_RESOURCE_ATTRIBUTES";

    public const string InstanceIdAttribute = "service.instance.id";

    /// <summary>The variables for one process of <paramref name="serviceName"/>.</summary>
    public static IReadOnlyDictionary<string, string> For(IConfiguration configuration, string serviceName, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var environment = configuration.GetChildren()
            .Where(setting => setting.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && setting.Value is not null)
            .ToDictionary(setting => setting.Key.ToUpperInvariant(), setting => setting.Value!, StringComparer.Ordinal);

        environment[ServiceNameKey] = serviceName;
        // The AppHost's own attributes (deployment.environment, team…) stay; only the instance id is per process.
        var attributes = (environment.GetValueOrDefault(ResourceAttributesKey) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(attribute => !attribute.StartsWith(InstanceIdAttribute + "=", StringComparison.Ordinal))
            .Append($"{InstanceIdAttribute}={instanceId}");
        environment[ResourceAttributesKey] = string.Join(',', attributes);
        return environment;
    }

    /// <summary>Where telemetry goes, for the start-up summary: scheme, host, port and protocol — never headers or credentials.</summary>
    public static string Describe(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[EndpointKey]))
        {
            return $"not exported (set {EndpointKey} to send logs, metrics and traces to a collector)";
        }

        var endpoint = Uri.TryCreate(configuration[EndpointKey], UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.Authority}" // never the user info a URL may carry
            : "(an endpoint that is not a URL)";
        return $"OTLP to {endpoint} ({configuration[ProtocolKey] ?? "grpc"})";
    }
}
