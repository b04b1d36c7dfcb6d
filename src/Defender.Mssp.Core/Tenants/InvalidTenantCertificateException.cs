namespace Defender.Mssp.Tenants;

/// <summary>What is wrong with certificate material that cannot serve as a client credential.</summary>
public enum CertificateProblem
{
    /// <summary>Not PKCS#12 or PEM, corrupt, or the password is wrong (PKCS#12 cannot tell these apart).</summary>
    Unreadable,

    /// <summary>The material holds no certificate.</summary>
    NoCertificate,

    /// <summary>The certificate comes without its private key (a <c>.cer</c> was given where a <c>.pfx</c> belongs).</summary>
    NoPrivateKey,

    /// <summary>The key is not RSA of at least 2048 bits, which Entra ID requires of application certificates.</summary>
    UnsupportedKey,
}

/// <summary>
/// Certificate material that cannot be a client credential. The message says what is wrong and never quotes the
/// material or the password; no inner exception is attached, since the cryptography stack's messages are not ours
/// to vouch for.
/// </summary>
public sealed class InvalidTenantCertificateException(CertificateProblem problem, string message) : Exception(message)
{
    public CertificateProblem Problem { get; } = problem;
}
