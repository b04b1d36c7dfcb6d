using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Simulator.Tenants;

/// <summary>A certificate credential as the token endpoint checks it: the public key, its thumbprints and validity.</summary>
internal sealed class RegisteredCertificate
{
    private RegisteredCertificate(Guid keyId, X509Certificate2 certificate, DateTimeOffset startsAt, DateTimeOffset expiresAt)
    {
        KeyId = keyId;
        Certificate = certificate;
        StartsAt = startsAt;
        ExpiresAt = expiresAt;
        Sha1Thumbprint = certificate.GetCertHash(HashAlgorithmName.SHA1);
        Sha256Thumbprint = certificate.GetCertHash(HashAlgorithmName.SHA256);
    }

    public Guid KeyId { get; }

    public X509Certificate2 Certificate { get; }

    public DateTimeOffset StartsAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>What a JWT's <c>x5t</c> header carries (base64url).</summary>
    public byte[] Sha1Thumbprint { get; }

    /// <summary>What a JWT's <c>x5t#S256</c> header carries (base64url).</summary>
    public byte[] Sha256Thumbprint { get; }

    /// <summary>Upper-case hex SHA-1, as Entra ID prints thumbprints in its errors.</summary>
    public string Thumbprint => Convert.ToHexString(Sha1Thumbprint);

    /// <summary>Parses a definition; null when its certificate is not PEM or base64 DER.</summary>
    public static RegisteredCertificate? TryParse(ClientCertificateDefinition definition)
    {
        if (TryLoad(definition.Certificate) is not { } certificate)
        {
            return null;
        }

        var startsAt = definition.StartsAt ?? new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var expiresAt = definition.ExpiresAt ?? new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return new RegisteredCertificate(definition.KeyId ?? Guid.Empty, certificate, startsAt, expiresAt);
    }

    public static bool IsValid(string? text) => TryLoad(text) is { } certificate && Dispose(certificate);

    private static X509Certificate2? TryLoad(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            var der = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? PemEncoding.Find(text) is var fields && text[fields.Label].Equals("CERTIFICATE", StringComparison.Ordinal)
                    ? Convert.FromBase64String(text[fields.Base64Data])
                    : null
                : Convert.FromBase64String(text.Trim());
            return der is null ? null : X509CertificateLoader.LoadCertificate(der);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or CryptographicException)
        {
            return null;
        }
    }

    private static bool Dispose(X509Certificate2 certificate)
    {
        certificate.Dispose();
        return true;
    }

    /// <summary>Whether a base64url header value names this certificate by <paramref name="thumbprint"/>.</summary>
    public static bool Matches(string? headerValue, byte[] thumbprint)
    {
        if (headerValue is null)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(headerValue), thumbprint);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
