using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Tenants;

/// <summary>
/// A tenant as written in configuration (<c>Tenants:N:…</c>). The management API replaces this source of tenants
/// later; until then it is how a silo learns whom to poll.
/// </summary>
public sealed class ConfiguredTenant : IValidatableObject
{
    [Required]
    public string TenantId { get; set; } = "";

    public string? DisplayName { get; set; }

    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>Read from configuration (user secrets, environment, a vault provider) — never logged.</summary>
    public string? ClientSecret { get; set; }

    public DefenderCloud Cloud { get; set; } = DefenderCloud.Commercial;

    public string SiemRegion { get; set; } = TenantSettings.DefaultSiemRegion;

    public List<string> Sources { get; set; } = [];

    public TimeSpan? PollInterval { get; set; }

    public TimeSpan? InitialLookback { get; set; }

    public List<string> MachineGroups { get; set; } = [];

    public bool Paused { get; set; }

    public TenantSettings ToSettings() => new()
    {
        TenantId = TenantId,
        DisplayName = DisplayName ?? TenantId,
        ClientId = ClientId,
        ClientSecret = string.IsNullOrEmpty(ClientSecret) ? null : new Secret(ClientSecret),
        Cloud = Cloud,
        SiemRegion = SiemRegion,
        Sources = Sources.Count > 0 ? [.. Sources] : DefenderSources.Default,
        PollInterval = PollInterval ?? TenantSettings.DefaultPollInterval,
        InitialLookback = InitialLookback ?? TenantSettings.DefaultInitialLookback,
        MachineGroups = [.. MachineGroups],
        Paused = Paused,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult($"Tenant id '{TenantId}' is not a GUID.", [nameof(TenantId)]);
        }

        if (!Guid.TryParse(ClientId, out _))
        {
            yield return new ValidationResult($"Client id of tenant '{TenantId}' is not a GUID.", [nameof(ClientId)]);
        }

        foreach (var source in Sources.Where(s => !DefenderSources.IsKnown(s)))
        {
            yield return new ValidationResult($"Tenant '{TenantId}' names unknown source '{source}'.", [nameof(Sources)]);
        }
    }
}
