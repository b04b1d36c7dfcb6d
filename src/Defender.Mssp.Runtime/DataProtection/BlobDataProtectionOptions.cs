using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Runtime.DataProtection;

/// <summary>
/// The shared Data Protection key ring (configuration section <c>DataProtection</c>). The API and every silo must use
/// the same <see cref="ApplicationName"/> and key ring (the product's container, <see cref="KeyPrefix"/>), or a secret
/// sealed by one cannot be unsealed by another.
/// </summary>
public sealed class BlobDataProtectionOptions : IValidatableObject
{
    public const string SectionName = "DataProtection";

    public const string DefaultApplicationName = "Defender.Mssp";

    public const string DefaultKeyPrefix = "dataprotection/keys/";

    /// <summary>Isolates this product's protected payloads from other applications sharing a key ring.</summary>
    [Required]
    public string ApplicationName { get; set; } = DefaultApplicationName;

    /// <summary>Blob name prefix of the key ring's elements.</summary>
    [Required]
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;

    /// <summary>
    /// A PFX file whose certificate encrypts the keys at rest. Without it the keys are stored in clear, and anyone who
    /// can read the container can unseal the secrets: then protect the storage account itself (private endpoint, RBAC).
    /// </summary>
    public string? KeyEncryptionCertificatePath { get; set; }

    /// <summary>Password of <see cref="KeyEncryptionCertificatePath"/>, if it has one. A secret: never log it.</summary>
    public string? KeyEncryptionCertificatePassword { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyPrefix.Length == 0 || !KeyPrefix.EndsWith('/'))
        {
            yield return new ValidationResult("DataProtection:KeyPrefix must be a non-empty folder ending in '/'.", [nameof(KeyPrefix)]);
        }

        if (KeyEncryptionCertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            yield return new ValidationResult($"DataProtection:KeyEncryptionCertificatePath names no file ({path}).", [nameof(KeyEncryptionCertificatePath)]);
        }
    }
}
