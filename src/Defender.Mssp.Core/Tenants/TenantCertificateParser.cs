using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Defender.Mssp.Tenants;

/// <summary>
/// Turns certificate material into an <see cref="X509Certificate2"/> with its private key, or says in words that
/// quote nothing what is wrong with it.
/// </summary>
internal static class TenantCertificateParser
{
    private const string PemStart = "-----BEGIN";

    // Ephemeral keys never touch a key store; macOS cannot load them, so there the platform default applies.
    private static X509KeyStorageFlags KeyStorage =>
        OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;

    public static bool LooksLikePem(ReadOnlySpan<byte> content)
    {
        var text = content.Length > 0 && content[0] == 0xEF ? content[Math.Min(3, content.Length)..] : content;
        var start = text.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && text[start..].StartsWith("-----BEGIN"u8);
    }

    public static X509Certificate2 Load(CertificateFormat format, string material, string? password)
    {
        var certificate = format switch
        {
            CertificateFormat.Pkcs12 => LoadPkcs12(material, password),
            CertificateFormat.Pem => LoadPem(material, password),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown certificate format."),
        };
        try
        {
            CheckKey(certificate);
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    private static X509Certificate2 LoadPkcs12(string base64, string? password)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidTenantCertificateException(CertificateProblem.Unreadable, "The PKCS#12 material is not valid base64.");
        }

        X509Certificate2Collection all;
        try
        {
            all = X509CertificateLoader.LoadPkcs12Collection(bytes, string.IsNullOrEmpty(password) ? null : password, KeyStorage);
        }
        catch (CryptographicException)
        {
            throw new InvalidTenantCertificateException(CertificateProblem.Unreadable,
                "The PKCS#12 material cannot be read: it is corrupt, not PKCS#12, or the password is wrong.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        // A .pfx often carries the issuing chain too; the credential is the one certificate with a private key.
        var withKey = all.FirstOrDefault(c => c.HasPrivateKey);
        foreach (var other in all.Where(c => !ReferenceEquals(c, withKey)))
        {
            other.Dispose();
        }

        return withKey ?? throw new InvalidTenantCertificateException(all.Count == 0 ? CertificateProblem.NoCertificate : CertificateProblem.NoPrivateKey,
            all.Count == 0 ? "The PKCS#12 material holds no certificate." : "The PKCS#12 material holds no private key for its certificate.");
    }

    private static X509Certificate2 LoadPem(string pem, string? password)
    {
        if (!pem.Contains(PemStart, StringComparison.Ordinal))
        {
            throw new InvalidTenantCertificateException(CertificateProblem.Unreadable, "The material is not PEM text.");
        }

        if (!HasLabel(pem, "CERTIFICATE"))
        {
            throw new InvalidTenantCertificateException(CertificateProblem.NoCertificate, "The PEM text holds no CERTIFICATE.");
        }

        var encrypted = HasLabel(pem, "ENCRYPTED PRIVATE KEY");
        if (!encrypted && !HasLabel(pem, "PRIVATE KEY") && !HasLabel(pem, "RSA PRIVATE KEY"))
        {
            throw new InvalidTenantCertificateException(CertificateProblem.NoPrivateKey, "The PEM text holds no PRIVATE KEY for its certificate.");
        }

        if (encrypted && string.IsNullOrEmpty(password))
        {
            throw new InvalidTenantCertificateException(CertificateProblem.Unreadable, "The PEM private key is encrypted and no password was given.");
        }

        try
        {
            // Both calls find the first certificate and the first key in the text. A key loaded from PEM is ephemeral.
            return encrypted
                ? X509Certificate2.CreateFromEncryptedPem(pem, pem, password)
                : X509Certificate2.CreateFromPem(pem, pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidTenantCertificateException(CertificateProblem.Unreadable,
                "The PEM certificate or private key cannot be read, the password is wrong, or the key does not belong to the certificate.");
        }
    }

    private static void CheckKey(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null)
        {
            throw new InvalidTenantCertificateException(CertificateProblem.UnsupportedKey,
                "The certificate's key is not RSA; Entra ID accepts RSA application certificates only.");
        }

        if (rsa.KeySize < TenantCertificate.MinimumRsaKeySize)
        {
            throw new InvalidTenantCertificateException(CertificateProblem.UnsupportedKey,
                $"The certificate's RSA key has {rsa.KeySize} bits; at least {TenantCertificate.MinimumRsaKeySize} are required.");
        }
    }

    private static bool HasLabel(string pem, string label)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual(label))
            {
                return true;
            }

            rest = rest[fields.Location.End..];
        }

        return false;
    }
}
