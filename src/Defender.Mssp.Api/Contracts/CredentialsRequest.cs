using System.ComponentModel;

namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// Rotates a tenant's credential (<c>PUT /tenants/{tenantId}/credentials</c>): a new client secret or a certificate,
/// either replacing whichever kind was stored; used from the next token on.
/// </summary>
public sealed class CredentialsRequest
{
    [Description("The new client secret: required unless credential is given. Sealed at rest and never returned.")]
    public string? ClientSecret { get; set; }

    [Description("A certificate credential instead of clientSecret (give one of the two).")]
    public CredentialInput? Credential { get; set; }

    [Description("A new application (client) id, when the secret belongs to another app registration.")]
    public string? ClientId { get; set; }
}
