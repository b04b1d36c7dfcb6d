using System.Security.Cryptography;
using System.Text;

namespace Defender.AppHost.ManagementApi;

/// <summary>
/// A management API key made for one run: the API is given only its hash (as its configuration demands); the key
/// itself stays in the AppHost, which prints the operator's once.
/// </summary>
public sealed record GeneratedApiKey(string Key, string Hash)
{
    public static GeneratedApiKey Create()
    {
        var key = "dmk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new GeneratedApiKey(key, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }

    /// <summary>Keeps the key out of anything that formats this record.</summary>
    public override string ToString() => $"{nameof(GeneratedApiKey)} {{ Hash = {Hash} }}";
}
