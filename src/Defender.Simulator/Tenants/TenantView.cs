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
    ThrottlingSettings? Throttling,
    string? Cloud = null,
    IReadOnlyList<string>? Sources = null);

/// <summary>An app registration without its secret values.</summary>
public sealed record AppView(
    string ClientId, string? DisplayName, bool ConsentGranted, IReadOnlyList<SecretView> Secrets, IReadOnlyList<CertificateView>? Certificates = null);

/// <summary>A client secret's id, hint and expiry.</summary>
public sealed record SecretView(Guid KeyId, string Hint, DateTimeOffset? ExpiresAt);

/// <summary>A certificate credential: its key id, thumbprint (SHA-1 hex), subject and the dates it works between.</summary>
public sealed record CertificateView(Guid KeyId, string? Thumbprint, string? Subject, DateTimeOffset? StartsAt, DateTimeOffset? ExpiresAt);
