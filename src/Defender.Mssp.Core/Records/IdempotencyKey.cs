using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Defender.Mssp.Records;

/// <summary>
/// The key a SIEM de-duplicates on. It is a pure function of (tenant, source, id, last-update time), so a record
/// delivered twice after a crash carries the same key both times, and a new version of a record gets a new one.
/// </summary>
public static class IdempotencyKey
{
    /// <summary>Texts up to this many UTF-8 bytes are formatted on the stack; longer ones in a pooled buffer.</summary>
    private const int StackTextBytes = 512;

    /// <summary>
    /// The first 16 bytes, in lower-case hex, of the SHA-256 of <c>{tenantId}|{source}|{id}|{UTC ticks}</c> in UTF-8.
    /// Computed for every record delivered, so the text is formatted straight into bytes, not through a string.
    /// </summary>
    public static string Compute(string tenantId, string source, RecordKey key)
    {
        // "|" three times and at most 19 digits of ticks beside the three UTF-8 texts.
        var maxLength = Encoding.UTF8.GetMaxByteCount(tenantId.Length + source.Length + key.Id.Length) + 3 + 19;
        byte[]? rented = null;
        var text = maxLength <= StackTextBytes
            ? stackalloc byte[StackTextBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (!Utf8.TryWrite(text, CultureInfo.InvariantCulture, $"{tenantId}|{source}|{key.Id}|{key.LastUpdateTime.UtcTicks}", out var length))
            {
                throw new UnreachableException("The buffer holds the longest UTF-8 form of the text.");
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(text[..length], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
