using Azure.Core;
using Azure.Identity;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>Registers the product's blob storage: the container client and the grain storage on it.</summary>
public static class BlobStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BlobServiceClient"/> and the product's <see cref="BlobContainerClient"/> from the
    /// <c>Storage</c> section (<see cref="BlobStorageOptions"/>), validated when the host starts. With
    /// <c>Storage:BlobServiceUri</c> the credential is a registered <see cref="TokenCredential"/>, else
    /// <see cref="DefaultAzureCredential"/>.
    /// </summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BlobStorageOptions>()
            .Bind(configuration.GetSection(BlobStorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => CreateServiceClient(sp.GetRequiredService<IOptions<BlobStorageOptions>>().Value, sp));
        services.TryAddSingleton(sp => sp.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<BlobStorageOptions>>().Value.Container));
        return services;
    }

    /// <summary>
    /// Registers <see cref="IGrainStorage"/> as <see cref="BlobGrainStorage"/> on the product's container (see
    /// <see cref="AddBlobStorage"/>), with state blobs under <c>Storage:StatePrefix</c> (default <c>state/</c>) and its
    /// <see cref="StorageMetrics"/>.
    /// </summary>
    public static IServiceCollection AddBlobGrainStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobStorage(configuration);
        services.AddOptions<BlobGrainStorageOptions>()
            .Bind(configuration.GetSection(BlobStorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageMetrics>();
        services.TryAddSingleton<IGrainStorage>(sp => new BlobGrainStorage(
            sp.GetRequiredService<BlobContainerClient>(),
            sp.GetRequiredService<IOptions<BlobGrainStorageOptions>>().Value.StatePrefix,
            sp.GetService<ILogger<BlobGrainStorage>>(),
            sp.GetRequiredService<StorageMetrics>()));
        return services;
    }

    private static BlobServiceClient CreateServiceClient(BlobStorageOptions options, IServiceProvider services) =>
        options.ConnectionString is { Length: > 0 } connectionString
            ? new BlobServiceClient(connectionString)
            : new BlobServiceClient(
                options.BlobServiceUri ?? throw new InvalidOperationException("Storage:BlobServiceUri is not set."),
                services.GetService<TokenCredential>() ?? new DefaultAzureCredential());
}
