using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;

namespace Defender.ServiceDefaults.Telemetry;

/// <summary>
/// Who is sending: <c>service.name</c> (<c>OTEL_SERVICE_NAME</c>, else the application name), <c>service.version</c>,
/// <c>service.instance.id</c> and <c>deployment.environment.name</c>. One instance per process, so logs, metrics and
/// traces carry the same instance id and a backend can join them.
/// </summary>
internal sealed class TelemetryResource
{
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";
    public const string ResourceAttributesKey = "OTEL_RESOURCE_ATTRIBUTES";

    private readonly string? _instanceId;

    public TelemetryResource(IConfiguration configuration, IHostEnvironment environment)
    {
        ServiceName = configuration[ServiceNameKey] is { Length: > 0 } configured ? configured : environment.ApplicationName;
        EnvironmentName = environment.EnvironmentName;
        // An instance id given in OTEL_RESOURCE_ATTRIBUTES (an orchestrator naming its replicas) wins over a random one.
        _instanceId = configuration[ResourceAttributesKey]?.Contains("service.instance.id=", StringComparison.Ordinal) == true
            ? null
            : Guid.NewGuid().ToString("D");
    }

    public string ServiceName { get; }

    public string EnvironmentName { get; }

    private static string? Version =>
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>Adds this process's attributes; the SDK's defaults (telemetry SDK, <c>OTEL_RESOURCE_ATTRIBUTES</c>) stay.</summary>
    public ResourceBuilder Configure(ResourceBuilder resource) =>
        resource
            .AddService(ServiceName, serviceVersion: Version, autoGenerateServiceInstanceId: false, serviceInstanceId: _instanceId)
            .AddAttributes([new KeyValuePair<string, object>("deployment.environment.name", EnvironmentName)]);
}
