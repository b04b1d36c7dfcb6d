using Defender.Mssp.Sinks;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the configured sinks behind one <c>IRecordSink</c>.</summary>
public static class RecordSinksServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FanOutRecordSink"/> as the <c>IRecordSink</c>, delivering each tenant's batches to its sink
    /// set as <see cref="RecordSinksOptions"/> (bound from <c>Sinks</c>, see <see cref="RecordSinksConfiguration"/>,
    /// validated at start, reloaded with configuration) and <see cref="ITenantSinkOverrides"/> say. Without any
    /// <c>Sinks</c> configuration that is the JSON Lines sink under <c>Sinks:JsonLines:Path</c> alone, as
    /// <see cref="JsonLinesSinkServiceCollectionExtensions.AddJsonLinesSink"/> registers it.
    /// </summary>
    /// <remarks>
    /// Also registers <see cref="ISinkHealth"/> (and <see cref="SinkHealthTracker"/>), <see cref="TenantSinkSets"/>,
    /// <see cref="ISinkFactory"/>, <see cref="SinkMetrics"/> and <see cref="ConfigurationTenantSinkOverrides"/> as the
    /// <see cref="ITenantSinkOverrides"/> unless one is registered already. Replaces any earlier <c>IRecordSink</c>.
    /// </remarks>
    public static IServiceCollection AddRecordSinks(this IServiceCollection services, IConfiguration configuration)
    {
        SecretBinding.EnsureRegistered();
        var section = configuration.GetSection(RecordSinksOptions.SectionName);
        services.AddOptions<JsonLinesSinkOptions>()
            .Bind(configuration.GetSection(JsonLinesSinkOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RecordSinksOptions>()
            .Configure(options => RecordSinksConfiguration.Bind(section, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordSinksOptions>, RecordSinksOptionsValidator>());
        services.AddSingleton<IOptionsChangeTokenSource<RecordSinksOptions>>(new ConfigurationChangeTokenSource<RecordSinksOptions>(section));

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SinkMetrics>();
        services.TryAddSingleton<JsonLinesFileSink>();
        services.TryAddSingleton<ISinkFactory, SinkFactory>();
        services.TryAddSingleton<ITenantSinkOverrides, ConfigurationTenantSinkOverrides>();
        services.TryAddSingleton<TenantSinkSets>();
        services.TryAddSingleton<SinkHealthTracker>();
        services.TryAddSingleton<ISinkHealth>(provider => provider.GetRequiredService<SinkHealthTracker>());
        services.TryAddSingleton<FanOutRecordSink>();
        services.RemoveAll<IRecordSink>();
        services.AddSingleton<IRecordSink>(provider => provider.GetRequiredService<FanOutRecordSink>());
        return services;
    }
}
