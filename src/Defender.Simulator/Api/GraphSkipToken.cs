using System.Buffers.Text;
using System.Text;

namespace Defender.Simulator.Api;

/// <summary>
/// The opaque <c>$skiptoken</c> of Graph's <c>@odata.nextLink</c>: the sort key of the last record served, so the
/// next page starts after it (keyset paging) however far the caller has come and however the records change between
/// pages. <c>$skip</c> has a cap of 500; the token has none.
/// </summary>
internal static class GraphSkipToken
{
    private const string Prefix = "sim1:";

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + position));

    public static bool TryDecode(string token, out string position)
    {
        position = "";
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            position = text[Prefix.Length..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
