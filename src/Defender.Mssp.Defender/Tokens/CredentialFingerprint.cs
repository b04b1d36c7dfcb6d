using System.Security.Cryptography;
using System.Text;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// Keyed hashes of credentials. The key is random per process, so a fingerprint seen in memory or a log cannot be
/// tested against guessed secrets, while equal secrets still give equal fingerprints within the process.
/// </summary>
public static class CredentialFingerprint
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    public static string Of(string kind, string sensitiveValue)
    {
        var data = Encoding.UTF8.GetBytes(kind + "\0" + sensitiveValue);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Key, data, hash);
        CryptographicOperations.ZeroMemory(data);
        return kind + ":" + Convert.ToHexStringLower(hash[..12]);
    }
}
