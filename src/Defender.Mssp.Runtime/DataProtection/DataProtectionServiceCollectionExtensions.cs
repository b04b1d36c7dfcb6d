using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Runtime.Storage;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>Registers the Data Protection key ring that the API and the silos share.</summary>
public static class DataProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Registers ASP.NET Core Data Protection with its key ring in the product's blob container (see
    /// <see cref="BlobStorageServiceCollectionExtensions.AddBlobStorage"/>) under <c>DataProtection:KeyPrefix</c>, the
    /// application name <c>DataProtection:ApplicationName</c>, keys encrypted at rest with
    /// <c>DataProtection:KeyEncryptionCertificatePath</c> when set, and <see cref="TenantSecretProtector"/>.
    /// </summary>
    public static IDataProtectionBuilder AddSharedDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddBlobStorage(configuration);
        var section = configuration.GetSection(BlobDataProtectionOptions.SectionName);
        services.AddOptions<BlobDataProtectionOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        // Data Protection takes its application name and certificate when it is registered, not from options later.
        var settings = section.Get<BlobDataProtectionOptions>() ?? new BlobDataProtectionOptions();
        var builder = services.AddDataProtection().SetApplicationName(settings.ApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<BlobContainerClient, IOptions<BlobDataProtectionOptions>, ILoggerFactory>((keys, container, options, loggers) =>
                keys.XmlRepository = new BlobXmlRepository(container, options.Value.KeyPrefix, loggers.CreateLogger<BlobXmlRepository>()));

        // A missing file is left to the options validation, which names the setting when the host starts.
        if (settings.KeyEncryptionCertificatePath is { Length: > 0 } path && File.Exists(path))
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, settings.KeyEncryptionCertificatePassword);
            builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.TryAddSingleton<TenantSecretProtector>();
        return builder;
    }
}
