using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Tenants;

/// <summary>
/// An X.509 client certificate with its private key, the other credential an application can prove itself with.
/// The material (PKCS#12 as base64, or PEM text) and its password are <see cref="Secret"/>s, so they never print:
/// <see cref="ToString"/>, records' generated ToString and JSON serialisation show only the public facts
/// (<see cref="Thumbprint"/>, <see cref="Subject"/>, validity). Made only by the factories, which check that the
/// material parses, holds a certificate with its private key, and that the key is RSA of at least 2048 bits.
/// </summary>
/// <remarks>
/// Equality is by material and password, so a catalogue that rebuilds settings from the same stored credential sees
/// no change, and a rotated certificate is a change. Expiry is not checked here: a configured certificate that has
/// expired still loads, fails at the token endpoint and shows as expired; whoever accepts new material (the management
/// API) refuses expired certificates itself.
/// </remarks>
[JsonConverter(typeof(PublicFactsConverter))]
public sealed class TenantCertificate : IEquatable<TenantCertificate>
{
    /// <summary>Entra ID's minimum RSA key size for application certificates.</summary>
    public const int MinimumRsaKeySize = 2048;

    private TenantCertificate(CertificateFormat format, Secret material, Secret? password, X509Certificate2 parsed)
    {
        Format = format;
        Material = material;
        Password = password;
        Thumbprint = parsed.Thumbprint;
        Subject = parsed.Subject;
        NotBefore = new DateTimeOffset(parsed.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        NotAfter = new DateTimeOffset(parsed.NotAfter.ToUniversalTime(), TimeSpan.Zero);
    }

    public CertificateFormat Format { get; }

    /// <summary>PKCS#12 bytes as base64 (<see cref="CertificateFormat.Pkcs12"/>) or the PEM text.</summary>
    public Secret Material { get; }

    /// <summary>The PKCS#12 password or the PEM private key's encryption password; null when there is none.</summary>
    public Secret? Password { get; }

    /// <summary>SHA-1 hash of the certificate, upper-case hex: what the Azure portal lists under the app's certificates.</summary>
    public string Thumbprint { get; }

    public string Subject { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>A PKCS#12 (<c>.pfx</c>) file's bytes.</summary>
    /// <exception cref="InvalidTenantCertificateException">The bytes are not a usable client certificate.</exception>
    public static TenantCertificate FromPkcs12(ReadOnlySpan<byte> pkcs12, string? password) =>
        Create(CertificateFormat.Pkcs12, Convert.ToBase64String(pkcs12), password);

    /// <summary>A PKCS#12 file as base64 text (how JSON and configuration carry one).</summary>
    /// <exception cref="InvalidTenantCertificateException">Not base64, or not a usable client certificate.</exception>
    public static TenantCertificate FromPkcs12Base64(string base64, string? password) =>
        Create(CertificateFormat.Pkcs12, base64, password);

    /// <summary>PEM text holding the certificate and its private key (encrypted with <paramref name="password"/> if given).</summary>
    /// <exception cref="InvalidTenantCertificateException">Not a usable client certificate.</exception>
    public static TenantCertificate FromPem(string pem, string? password) => Create(CertificateFormat.Pem, pem, password);

    /// <summary>A <c>.pfx</c>/<c>.p12</c> or PEM file; the format is told by the content, not the name.</summary>
    /// <exception cref="InvalidTenantCertificateException">Not a usable client certificate.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TenantCertificate FromFile(string path, string? password)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        return TenantCertificateParser.LooksLikePem(bytes)
            ? FromPem(System.Text.Encoding.UTF8.GetString(bytes), password)
            : FromPkcs12(bytes, password);
    }

    /// <summary>Material in a known format, e.g. as unsealed from storage.</summary>
    /// <exception cref="InvalidTenantCertificateException">Not a usable client certificate.</exception>
    public static TenantCertificate Create(CertificateFormat format, string material, string? password)
    {
        ArgumentNullException.ThrowIfNull(material);
        using var parsed = TenantCertificateParser.Load(format, material, password);
        return new TenantCertificate(format, new Secret(material), string.IsNullOrEmpty(password) ? null : new Secret(password), parsed);
    }

    /// <summary>
    /// A new <see cref="X509Certificate2"/> with the private key, for signing; the caller owns (and disposes) it. Keys
    /// are loaded ephemerally where the platform allows, so nothing is written to a key store.
    /// </summary>
    public X509Certificate2 LoadWithPrivateKey() => TenantCertificateParser.Load(Format, Material.Reveal(), Password?.Reveal());

    /// <summary>How long until <see cref="NotAfter"/>; negative once expired.</summary>
    public TimeSpan ExpiresIn(DateTimeOffset now) => NotAfter - now;

    public bool IsExpiredAt(DateTimeOffset now) => now >= NotAfter;

    public bool Equals(TenantCertificate? other) =>
        other is not null && Format == other.Format && Material.Equals(other.Material) && Equals(Password, other.Password);

    public override bool Equals(object? obj) => Equals(obj as TenantCertificate);

    public override int GetHashCode() => HashCode.Combine(Format, Thumbprint);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Certificate {Thumbprint} ({Subject}), valid {NotBefore:O} to {NotAfter:O}");

    /// <summary>Writes the public facts only; certificates are never read from JSON, only unsealed from their sealed form.</summary>
    private sealed class PublicFactsConverter : JsonConverter<TenantCertificate>
    {
        public override TenantCertificate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new JsonException("Certificates are not read from JSON; unseal them from their sealed form.");

        public override void Write(Utf8JsonWriter writer, TenantCertificate value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("thumbprint", value.Thumbprint);
            writer.WriteString("subject", value.Subject);
            writer.WriteString("notBefore", value.NotBefore);
            writer.WriteString("notAfter", value.NotAfter);
            writer.WriteEndObject();
        }
    }
}
