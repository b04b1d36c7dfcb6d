namespace Defender.Simulator.Tenants;

/// <summary>
/// A certificate credential of an app (Entra ID's <c>keyCredentials</c> entry of type <c>AsymmetricX509Cert</c>): the
/// public certificate only, as uploaded in the portal. Token requests signed with its private key authenticate the app.
/// </summary>
public sealed class ClientCertificateDefinition
{
    /// <summary>Identifies the certificate for removal; assigned when absent.</summary>
    public Guid? KeyId { get; set; }

    /// <summary>The public certificate: PEM (<c>-----BEGIN CERTIFICATE-----</c>) or base64 DER (a <c>.cer</c> file's content).</summary>
    public string Certificate { get; set; } = "";

    /// <summary>When the key credential starts to work; the certificate's NotBefore when absent.</summary>
    public DateTimeOffset? StartsAt { get; set; }

    /// <summary>When the key credential stops working (AADSTS700027 "key used is expired"); the certificate's NotAfter when absent.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
}
