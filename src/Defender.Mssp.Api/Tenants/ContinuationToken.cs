using System.Buffers.Text;
using System.Text;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Tenants;

/// <summary>
/// Paging position for <c>GET /tenants</c>: the last tenant id a page returned. Opaque to clients (base64url), and
/// stable under inserts and deletes, since tenants are listed in id order.
/// </summary>
public static class ContinuationToken
{
    private const string Prefix = "after:";

    public static string Encode(string lastTenantId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + lastTenantId));

    public static bool TryDecode(string token, out string lastTenantId)
    {
        lastTenantId = "";
        if (token.Length > 128)
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal) && TenantIds.IsCanonical(text[Prefix.Length..]))
            {
                lastTenantId = text[Prefix.Length..];
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
