using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>Registers the tenant documents: the store the API writes, the catalogue the silos read.</summary>
public static class TenantStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TenantDocumentStore"/> on the product's container (documents under
    /// <c>Storage:TenantPrefix</c>, default <c>tenants/</c>) and the shared Data Protection key ring with
    /// <see cref="TenantSecretProtector"/> (see <see cref="DataProtectionServiceCollectionExtensions.AddSharedDataProtection"/>).
    /// </summary>
    public static IServiceCollection AddTenantStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobStorage(configuration);
        services.AddSharedDataProtection(configuration);
        services.AddOptions<TenantStoreOptions>()
            .Bind(configuration.GetSection(BlobStorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new TenantDocumentStore(
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<TenantStoreOptions>>().Value.TenantPrefix,
            sp.GetService<ILogger<TenantDocumentStore>>()));
        return services;
    }

    /// <summary>
    /// Registers <see cref="BlobTenantCatalog"/> as the silo's <see cref="ITenantCatalog"/> (see <see cref="AddTenantStore"/>
    /// for what it reads). Register <see cref="IPollRequestHandler"/>s to hear of "poll now" commands.
    /// </summary>
    public static IServiceCollection AddBlobTenantCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTenantStore(configuration);
        services.TryAddSingleton(sp => new BlobTenantCatalog(
            sp.GetRequiredService<TenantDocumentStore>(),
            sp.GetRequiredService<TenantSecretProtector>(),
            sp.GetServices<IPollRequestHandler>(),
            sp.GetService<ILogger<BlobTenantCatalog>>()));
        services.TryAddSingleton<ITenantCatalog>(sp => sp.GetRequiredService<BlobTenantCatalog>());
        return services;
    }

    /// <summary>
    /// Registers <see cref="TenantDataPurger"/> for the state blobs of <c>Storage:StatePrefix</c>; configure
    /// <see cref="TenantPurgeOptions"/> (its sink path above all) with <c>AddOptions&lt;TenantPurgeOptions&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddTenantDataPurger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobGrainStorage(configuration);
        services.AddOptions<TenantPurgeOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new TenantDataPurger(
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<BlobGrainStorageOptions>>().Value.StatePrefix,
            sp.GetRequiredService<IOptions<TenantPurgeOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<TenantDataPurger>>()));
        return services;
    }
}
