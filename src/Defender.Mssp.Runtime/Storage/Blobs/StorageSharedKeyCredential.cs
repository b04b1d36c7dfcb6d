using System.Security.Cryptography;
using System.Text;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// A storage account name and key for Shared Key authentication, as Azure.Storage's type of the same name. The key is
/// kept only as bytes and never appears in <see cref="ToString"/>, a log line or an exception message.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private byte[] _accountKey;

    /// <param name="accountName">The storage account name.</param>
    /// <param name="accountKey">The account key, Base64 as the portal and connection strings show it.</param>
    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        AccountName = accountName;
        _accountKey = DecodeKey(accountKey);
    }

    public string AccountName { get; }

    /// <summary>Replaces the key, for key rotation without rebuilding clients.</summary>
    public void SetAccountKey(string accountKey) => _accountKey = DecodeKey(accountKey);

    /// <summary>Base64 HMAC-SHA256 of <paramref name="message"/> (UTF-8) under the account key.</summary>
    internal string ComputeHmacSha256(string message) =>
        Convert.ToBase64String(HMACSHA256.HashData(Volatile.Read(ref _accountKey), Encoding.UTF8.GetBytes(message)));

    public override string ToString() => $"{nameof(StorageSharedKeyCredential)}({AccountName})";

    private static byte[] DecodeKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            // The exception must not carry the value: a slightly mistyped key is still most of a secret.
            throw new FormatException("The storage account key is not valid Base64.");
        }
    }
}
