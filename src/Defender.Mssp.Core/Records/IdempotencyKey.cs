using System.Security.Cryptography;
using System.Text;

namespace Defender.Mssp.Records;

/// <summary>
/// The key a SIEM de-duplicates on. It is a pure function of (tenant, source, id, last-update time), so a record
/// delivered twice after a crash carries the same key both times, and a new version of a record gets a new one.
/// </summary>
public static class IdempotencyKey
{
    public static string Compute(string tenantId, string source, RecordKey key)
    {
        var text = $"{tenantId}|{source}|{key.Id}|{key.LastUpdateTime.UtcTicks}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
