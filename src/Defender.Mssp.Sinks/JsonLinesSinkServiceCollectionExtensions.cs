using Defender.Mssp.Sinks;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the JSON-lines file sink.</summary>
public static class JsonLinesSinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JsonLinesFileSink"/> as the <c>IRecordSink</c>, with <see cref="JsonLinesSinkOptions"/> bound
    /// from <c>Sinks:JsonLines</c> (<c>Path</c>, default <c>./sink</c>) and validated at start, with its
    /// <see cref="SinkMetrics"/>.
    /// </summary>
    public static IServiceCollection AddJsonLinesSink(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JsonLinesSinkOptions>()
            .Bind(configuration.GetSection(JsonLinesSinkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SinkMetrics>();
        services.TryAddSingleton<JsonLinesFileSink>();
        services.AddSingleton<IRecordSink>(provider => provider.GetRequiredService<JsonLinesFileSink>());
        return services;
    }
}
