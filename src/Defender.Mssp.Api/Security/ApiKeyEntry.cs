using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Security;

/// <summary>
/// One API key as configured (<c>Api:Authentication:ApiKeys:N</c>): only its SHA-256 hash, never the key. Keys are
/// random (at least 128 bits), so a fast hash is enough — no one can guess a key from it.
/// </summary>
public sealed class ApiKeyEntry : IValidatableObject
{
    /// <summary>Who holds the key; appears in logs and in the audit field <c>updatedBy</c>.</summary>
    [Required(ErrorMessage = "Every API key needs a Name.")]
    [RegularExpression("^[A-Za-z0-9._@-]{1,64}$", ErrorMessage = "An API key's Name must be 1-64 letters, digits, '.', '_', '@' or '-'.")]
    public string Name { get; set; } = "";

    /// <summary><see cref="ApiRoles.Reader"/> or <see cref="ApiRoles.Admin"/>.</summary>
    [Required(ErrorMessage = "Every API key needs a Role.")]
    public string Role { get; set; } = "";

    /// <summary>Lower- or upper-case hex SHA-256 of the key's UTF-8 bytes, optionally prefixed <c>sha256:</c>.</summary>
    [Required(ErrorMessage = "Every API key needs a Hash.")]
    public string Hash { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ApiRoles.All.Contains(Role, StringComparer.Ordinal))
        {
            yield return new ValidationResult($"API key '{Name}': Role must be {ApiRoles.Reader} or {ApiRoles.Admin}.", [nameof(Role)]);
        }

        if (ApiKeyHash.ParseConfigured(Hash) is null)
        {
            yield return new ValidationResult($"API key '{Name}': Hash must be 64 hex digits (SHA-256), optionally prefixed 'sha256:'.", [nameof(Hash)]);
        }
    }
}
