using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Storage;

/// <summary>
/// Where the product's blobs live (configuration section <c>Storage</c>): either <see cref="ConnectionString"/>
/// (account key or Azurite) or <see cref="BlobServiceUri"/> with Entra ID (DefaultAzureCredential, i.e. managed identity
/// in production), and the one container holding tenants, state and silo heartbeats.
/// </summary>
public sealed class BlobStorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public const string DefaultContainer = "defender-mssp";

    /// <summary>A storage connection string. A secret: never log it.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The Blob service endpoint (https://{account}.blob.core.windows.net) for token authentication.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The container name: 3–63 lowercase letters, digits and single hyphens.</summary>
    [Required]
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Storage:Container must be 3-63 lowercase letters, digits and single hyphens.")]
    public string Container { get; set; } = DefaultContainer;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (BlobServiceUri is null))
        {
            yield return new ValidationResult(
                "Set exactly one of Storage:ConnectionString and Storage:BlobServiceUri.",
                [nameof(ConnectionString), nameof(BlobServiceUri)]);
            yield break;
        }

        if (BlobServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Storage:BlobServiceUri must be an absolute https URI.", [nameof(BlobServiceUri)]);
        }

        if (ConnectionString is { Length: > 0 } connectionString && ParseError(connectionString) is { } error)
        {
            // The parser's messages name the bad setting but never echo the string, which holds the account key.
            yield return new ValidationResult($"Storage:ConnectionString is not usable: {error}", [nameof(ConnectionString)]);
        }
    }

    private static string? ParseError(string connectionString)
    {
        try
        {
            StorageConnectionString.Parse(connectionString);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException)
        {
            return e.Message;
        }
    }
}
