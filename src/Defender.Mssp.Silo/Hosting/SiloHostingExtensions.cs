using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Silo.FailPoints;
using Defender.Mssp.Silo.Hosting;
using Defender.Mssp.Silo.Tenants;
using Defender.Mssp.Sinks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>What the silo process registers beyond the libraries' own <c>Add…</c> calls.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes this process a member of the silo cluster: it runs tenant grains for the tenants whose lease it wins,
    /// balancing them with the other silos (section <c>Cluster</c>), under one silo id (see <see cref="SiloIdentity"/>).
    /// The tenants are those the management API stored (<c>tenants/{tenantId}.json</c>, secrets unsealed with the shared
    /// Data Protection key ring) and those of the <c>Tenants</c> section; a tenant in both is taken from storage. An
    /// operator's "poll now" reaches the grain through <see cref="ActiveGrains"/> within a balancing interval.
    /// </summary>
    public static IHostApplicationBuilder AddTenantGrainCluster(this IHostApplicationBuilder builder)
    {
        builder.AddSiloIdentity();
        builder.Services.AddTenantGrains(builder.Configuration);
        var tenants = builder.Configuration.GetSection(ConfiguredTenantsOptions.SectionName);
        builder.Services.AddOptions<ConfiguredTenantsOptions>()
            .Configure(options => tenants.Bind(options.Tenants))
            .ValidateDataAnnotations().ValidateOnStart();
        // The section is bound by a delegate, so reloads reach the catalogue only through an explicit change token.
        builder.Services.AddSingleton<IOptionsChangeTokenSource<ConfiguredTenantsOptions>>(
            new ConfigurationChangeTokenSource<ConfiguredTenantsOptions>(tenants));
        builder.Services.TryAddSingleton<ConfiguredTenantCatalog>();
        builder.Services.TryAddSingleton<ActiveGrains>();
        builder.Services.AddSingleton<IPollRequestHandler>(sp => sp.GetRequiredService<ActiveGrains>());
        builder.Services.TryAddSingleton<ITenantCatalog>(sp => new CombinedTenantCatalog(
            sp.GetRequiredService<BlobTenantCatalog>(), sp.GetRequiredService<ConfiguredTenantCatalog>()));
        builder.Services.AddStoredTenantSinkOverrides(builder.Configuration);
        builder.Services.AddBlobTenantCatalog(builder.Configuration);
        builder.Services.TryAddSingleton<IGrainActivator, TenantGrainActivator>();
        builder.Services.AddSiloCluster(builder.Configuration);
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
