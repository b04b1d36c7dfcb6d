using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Defender.Mssp.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Secret = Defender.Mssp.Tenants.Secret;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>
/// Seals tenants' client secrets and certificates for storage and unseals them for the silo that needs them, with
/// ASP.NET Core Data Protection under <see cref="Purpose"/> (secrets) or <see cref="CertificatePurpose"/>
/// (certificates) and the tenant id as sub-purpose: a sealed credential copied into another tenant's document does not
/// unseal there, and a sealed certificate relabelled as a secret does not unseal at all (so its key material can never
/// be sent to a token endpoint as a client secret).
/// </summary>
public sealed class TenantSecretProtector
{
    /// <summary>Versioned so that a future change of sealed format can live beside the old one.</summary>
    public const string Purpose = "Defender.Mssp.Tenants.ClientSecret.v1";

    /// <summary>The purpose certificates are sealed under: a format, the material and the password, as one JSON value.</summary>
    public const string CertificatePurpose = "Defender.Mssp.Tenants.ClientCertificate.v1";

    /// <summary>The purpose secrets of tenants' own sinks (an HEC token, a header value) are sealed under.</summary>
    public const string SinkPurpose = "Defender.Mssp.Tenants.SinkSecret.v1";

    private readonly IDataProtector _protector;
    private readonly IDataProtector _certificateProtector;
    private readonly IDataProtector _sinkProtector;

    public TenantSecretProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
        _certificateProtector = provider.CreateProtector(CertificatePurpose);
        _sinkProtector = provider.CreateProtector(SinkPurpose);
    }

    /// <summary>The sealed form of a secret of one of <paramref name="tenantId"/>'s sinks (under <see cref="SinkPurpose"/>).</summary>
    public string SealSinkSecret(string tenantId, Secret secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(secret);
        return _sinkProtector.CreateProtector(tenantId).Protect(secret.Reveal());
    }

    /// <summary>A sink secret sealed by <see cref="SealSinkSecret"/> for <paramref name="tenantId"/>.</summary>
    /// <exception cref="SecretUnsealException">Not sealed for this tenant (or as a sink secret), tampered with, or
    /// sealed with a key this key ring does not have.</exception>
    public Secret UnsealSinkSecret(string tenantId, string sealedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        try
        {
            return new Secret(_sinkProtector.CreateProtector(tenantId).Unprotect(sealedSecret));
        }
        catch (CryptographicException e)
        {
            throw new SecretUnsealException(tenantId, e);
        }
    }

    /// <summary>The sealed (encrypted and authenticated) form of <paramref name="secret"/>, bound to <paramref name="tenantId"/>.</summary>
    public string Seal(string tenantId, Secret secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(secret);
        return _protector.CreateProtector(tenantId).Protect(secret.Reveal());
    }

    /// <summary>The secret <paramref name="sealedSecret"/> holds, if it was sealed for <paramref name="tenantId"/>.</summary>
    /// <exception cref="SecretUnsealException">Not sealed for this tenant, tampered with, or sealed with a key this
    /// key ring does not have (or has revoked).</exception>
    public Secret Unseal(string tenantId, string sealedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        try
        {
            return new Secret(_protector.CreateProtector(tenantId).Unprotect(sealedSecret));
        }
        catch (CryptographicException e)
        {
            throw new SecretUnsealException(tenantId, e);
        }
    }

    /// <summary>The sealed form of <paramref name="certificate"/> (format, material and password), bound to <paramref name="tenantId"/>.</summary>
    public string SealCertificate(string tenantId, TenantCertificate certificate)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(certificate);
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteString(FormatField, certificate.Format.ToString());
            writer.WriteString(MaterialField, certificate.Material.Reveal());
            if (certificate.Password is { } password)
            {
                writer.WriteString(PasswordField, password.Reveal());
            }

            writer.WriteEndObject();
        }

        return _certificateProtector.CreateProtector(tenantId).Protect(Encoding.UTF8.GetString(json.WrittenSpan));
    }

    /// <summary>The certificate <paramref name="sealedCertificate"/> holds, if it was sealed for <paramref name="tenantId"/>.</summary>
    /// <exception cref="SecretUnsealException">Not sealed for this tenant (or not as a certificate), tampered with, or
    /// sealed with a key this key ring does not have.</exception>
    /// <exception cref="InvalidTenantCertificateException">It unsealed but is not a usable certificate here (e.g. this
    /// platform cannot load its key).</exception>
    public TenantCertificate UnsealCertificate(string tenantId, string sealedCertificate)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentNullException.ThrowIfNull(sealedCertificate);
        string plain;
        try
        {
            plain = _certificateProtector.CreateProtector(tenantId).Unprotect(sealedCertificate);
        }
        catch (CryptographicException e)
        {
            throw new SecretUnsealException(tenantId, e);
        }

        try
        {
            using var document = JsonDocument.Parse(plain);
            var root = document.RootElement;
            var format = Enum.Parse<CertificateFormat>(root.GetProperty(FormatField).GetString()!);
            var password = root.TryGetProperty(PasswordField, out var given) ? given.GetString() : null;
            return TenantCertificate.Create(format, root.GetProperty(MaterialField).GetString()!, password);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or ArgumentException or InvalidOperationException)
        {
            throw new SecretUnsealException(tenantId, new CryptographicException("The sealed certificate is not in the expected form."));
        }
    }

    private const string FormatField = "format";
    private const string MaterialField = "material";
    private const string PasswordField = "password";
}
