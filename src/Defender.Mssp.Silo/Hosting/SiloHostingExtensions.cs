using Defender.Mssp.Silo.FailPoints;
using Defender.Mssp.Silo.Hosting;
using Defender.Mssp.Silo.Tenants;
using Defender.Mssp.Sinks;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>What the silo process registers beyond the libraries' own <c>Add…</c> calls.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Hosts a grain for each tenant of the <c>Tenants</c> section, as silo <c>Silo:SiloId</c>.</summary>
    public static IHostApplicationBuilder AddConfiguredTenantGrains(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTenantGrains(builder.Configuration);
        builder.Services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<ConfiguredTenantsOptions>()
            .Configure(options => builder.Configuration.GetSection(ConfiguredTenantsOptions.SectionName).Bind(options.Tenants))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<ConfiguredTenantsHost>();
        builder.AddFailPoints();
        return builder;
    }

    /// <summary>Decorates the sink with the configured fail points (crash tests only; nothing when unset).</summary>
    private static void AddFailPoints(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(FailPointOptions.SectionName).Get<FailPointOptions>();
        if (options is not { KillAfterSinkWrites: > 0 })
        {
            return;
        }

        var sink = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IRecordSink))
            ?? throw new InvalidOperationException("Register the sink before the fail points.");
        builder.Services.Replace(ServiceDescriptor.Singleton<IRecordSink>(provider => new KillAfterSinkWritesSink(
            (IRecordSink)(sink.ImplementationFactory?.Invoke(provider) ?? sink.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(provider, sink.ImplementationType!)),
            options.KillAfterSinkWrites,
            provider.GetRequiredService<ILogger<KillAfterSinkWritesSink>>())));
    }
}
