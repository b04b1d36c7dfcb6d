using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Security;

/// <summary>The configured API keys, by hash. Looks a presented key up in constant time per configured key.</summary>
public sealed class ApiKeyRegistry
{
    private readonly IReadOnlyList<(ApiKeyEntry Entry, byte[] Digest)> _keys;

    public ApiKeyRegistry(IOptions<ManagementAuthenticationOptions> options)
    {
        _keys = options.Value.ApiKeys
            .Select(entry => (entry, ApiKeyHash.ParseConfigured(entry.Hash)))
            .Where(pair => pair.Item2 is not null)
            .Select(pair => (pair.entry, pair.Item2!))
            .ToList();
    }

    /// <summary>The entry whose hash matches <paramref name="presentedKey"/>, or null.</summary>
    public ApiKeyEntry? Find(string presentedKey)
    {
        var digest = ApiKeyHash.Digest(presentedKey);
        ApiKeyEntry? match = null;

        // Every entry is compared, so the time taken says nothing about which entry (if any) is close.
        foreach (var (entry, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                match ??= entry;
            }
        }

        return match;
    }
}
