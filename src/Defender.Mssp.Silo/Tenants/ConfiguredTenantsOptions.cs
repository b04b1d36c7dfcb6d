using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Silo.Tenants;

/// <summary>The <c>Tenants</c> configuration section: the tenants this silo polls.</summary>
public sealed class ConfiguredTenantsOptions : IValidatableObject
{
    public const string SectionName = "Tenants";

    public List<ConfiguredTenant> Tenants { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        foreach (var tenant in Tenants)
        {
            Validator.TryValidateObject(tenant, new ValidationContext(tenant), results, validateAllProperties: true);
        }

        foreach (var duplicate in Tenants.GroupBy(t => t.TenantId, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            results.Add(new ValidationResult($"Tenant '{duplicate.Key}' is configured more than once."));
        }

        return results;
    }
}
