using System.ComponentModel;

namespace Defender.Mssp.Api.Contracts;

/// <summary>Rotates a tenant's credential (<c>PUT /tenants/{tenantId}/credentials</c>); used from the next token on.</summary>
public sealed class CredentialsRequest
{
    [Description("The new client secret. Required; sealed at rest and never returned.")]
    public string? ClientSecret { get; set; }

    [Description("A new application (client) id, when the secret belongs to another app registration.")]
    public string? ClientId { get; set; }
}
