using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Validation;

/// <summary>A validated onboarding request, every value in canonical form and defaults filled in.</summary>
public sealed record ValidTenant(
    string TenantId,
    string DisplayName,
    string ClientId,
    Secret ClientSecret,
    DefenderCloud Cloud,
    string SiemRegion,
    IReadOnlyList<string> Sources,
    TimeSpan PollInterval,
    TimeSpan InitialLookback,
    IReadOnlyList<string> MachineGroups,
    bool Paused);

/// <summary>A validated settings change: null members stay as stored.</summary>
public sealed record ValidPatch(
    string? DisplayName,
    DefenderCloud? Cloud,
    string? SiemRegion,
    IReadOnlyList<string>? Sources,
    TimeSpan? PollInterval,
    TimeSpan? InitialLookback,
    IReadOnlyList<string>? MachineGroups);

/// <summary>A validated credential rotation.</summary>
public sealed record ValidCredentials(Secret ClientSecret, string? ClientId);
