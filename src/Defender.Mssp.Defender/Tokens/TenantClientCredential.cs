using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// How an application proves its identity to the token endpoint. The seam where certificates join client secrets:
/// each kind configures the MSAL builder and names itself by a <see cref="Fingerprint"/> that never reveals it.
/// </summary>
public abstract class TenantClientCredential
{
    /// <summary>
    /// Identifies the credential among others of the same client id (a keyed hash, never the secret): a rotated
    /// credential has a new fingerprint and so gets a new MSAL application and cache.
    /// </summary>
    public abstract string Fingerprint { get; }

    /// <summary>Adds this credential to an MSAL application being built.</summary>
    public abstract ConfidentialClientApplicationBuilder ApplyTo(ConfidentialClientApplicationBuilder builder);

    /// <summary>Removes anything secret from text (e.g. a token endpoint's error description) before it is shown.</summary>
    public abstract string Redact(string text);

    public override string ToString() => $"{GetType().Name}({Fingerprint})";
}
