using Defender.Simulator.Faults;

namespace Defender.Simulator.Tenants;

/// <summary>
/// A tenant as the admin API returns it. Secrets appear only as a three-character hint, like Entra ID's; the generator
/// settings are the effective ones (seed, start and stop time filled in), so the same world can be recreated.
/// </summary>
public sealed record TenantView(
    Guid TenantId,
    string DisplayName,
    IReadOnlyList<AppView> Apps,
    GeneratorSettings Generator,
    IReadOnlyList<FaultRule> Faults,
    TimeSpan TokenLifetime,
    ThrottlingSettings? Throttling);

/// <summary>An app registration without its secret values.</summary>
public sealed record AppView(string ClientId, string? DisplayName, bool ConsentGranted, IReadOnlyList<SecretView> Secrets);

/// <summary>A client secret's id, hint and expiry.</summary>
public sealed record SecretView(Guid KeyId, string Hint, DateTimeOffset? ExpiresAt);
