using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Validation;

/// <summary>
/// A validated onboarding request, every value in canonical form and defaults filled in. Exactly one of
/// <see cref="ClientSecret"/> and <see cref="ClientCertificate"/> is set.
/// </summary>
public sealed record ValidTenant(
    string TenantId,
    string DisplayName,
    string ClientId,
    Secret? ClientSecret,
    DefenderCloud Cloud,
    string SiemRegion,
    IReadOnlyList<string> Sources,
    TimeSpan PollInterval,
    TimeSpan InitialLookback,
    IReadOnlyList<string> MachineGroups,
    bool Paused,
    TenantCertificate? ClientCertificate = null,
    string? XdrRegion = null,
    TenantSinks? Sinks = null);

/// <summary>
/// A validated settings change: null members stay as stored; an empty <see cref="XdrRegion"/> clears it; when
/// <see cref="SinksGiven"/>, <see cref="Sinks"/> replaces the stored sinks (null: back to the defaults).
/// </summary>
public sealed record ValidPatch(
    string? DisplayName,
    DefenderCloud? Cloud,
    string? SiemRegion,
    IReadOnlyList<string>? Sources,
    TimeSpan? PollInterval,
    TimeSpan? InitialLookback,
    IReadOnlyList<string>? MachineGroups,
    string? XdrRegion = null,
    bool SinksGiven = false,
    TenantSinks? Sinks = null);

/// <summary>A validated credential rotation: exactly one of <see cref="ClientSecret"/> and <see cref="ClientCertificate"/> is set.</summary>
public sealed record ValidCredentials(Secret? ClientSecret, string? ClientId, TenantCertificate? ClientCertificate = null);
