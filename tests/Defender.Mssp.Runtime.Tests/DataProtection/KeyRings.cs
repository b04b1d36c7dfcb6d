using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.Mssp.Runtime.Tests.DataProtection;

/// <summary>
/// A process's view of the shared key ring: its own service provider with Data Protection registered the way the API
/// and the silos register it, on a given container. Two of these on one container are two processes.
/// </summary>
internal sealed class KeyRings
{
    public static ServiceProvider Process(BlobContainerClient container, string connectionString, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = connectionString,
            ["Storage:Container"] = container.Name,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSharedDataProtection(configuration);
        return services.BuildServiceProvider();
    }

    public static TenantSecretProtector Protector(ServiceProvider process) => process.GetRequiredService<TenantSecretProtector>();

    public static IDataProtector Raw(ServiceProvider process, string purpose) =>
        process.GetRequiredService<IDataProtectionProvider>().CreateProtector(purpose);
}
