using System.Security.Cryptography;
using System.Text;

namespace Defender.AppHost.Demo;

/// <summary>
/// An Admin API key for the management API, new on every run: the API is given only its hash (as configuration
/// demands), the key itself is printed once for the person running the demo.
/// </summary>
public sealed record DemoApiKey(string Key, string Hash)
{
    public static DemoApiKey Create()
    {
        var key = "dmk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new DemoApiKey(key, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))));
    }
}
