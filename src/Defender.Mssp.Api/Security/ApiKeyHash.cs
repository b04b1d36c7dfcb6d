using System.Security.Cryptography;
using System.Text;

namespace Defender.Mssp.Api.Security;

/// <summary>How API keys are hashed for configuration and compared when presented.</summary>
public static class ApiKeyHash
{
    public const string Prefix = "sha256:";

    /// <summary>The configuration form of <paramref name="apiKey"/>'s hash: <c>sha256:{hex}</c>.</summary>
    public static string Compute(string apiKey) => Prefix + Convert.ToHexStringLower(Digest(apiKey));

    /// <summary>The hash bytes of <paramref name="apiKey"/> (SHA-256 of its UTF-8 bytes).</summary>
    public static byte[] Digest(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>The bytes a configured hash stands for, or null when it is not one.</summary>
    public static byte[]? ParseConfigured(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return null;
        }

        var hex = configured.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? configured[Prefix.Length..] : configured;
        if (hex.Length != 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A new random API key: 32 bytes, base64url, prefixed so it is recognisable in a secret scanner.</summary>
    public static string NewKey() => "dmk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
