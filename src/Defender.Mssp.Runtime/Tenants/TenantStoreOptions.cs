using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>Where tenant documents live inside the product's container (configuration section <c>Storage</c>).</summary>
public sealed class TenantStoreOptions
{
    public const string DefaultTenantPrefix = "tenants/";

    /// <summary>Blob name prefix: a tenant's document is <c>{TenantPrefix}{tenantId}.json</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._/-]*/$", ErrorMessage = "Storage:TenantPrefix must be a folder name ending in '/'.")]
    public string TenantPrefix { get; set; } = DefaultTenantPrefix;
}
