using Azure;

namespace Defender.Mssp.Api.Tenants;

/// <summary>
/// A request's <c>If-Match</c> precondition (RFC 9110 §13.1.1): <c>*</c> or a list of strong ETags. A weak ETag never
/// matches, since If-Match compares strongly.
/// </summary>
public sealed record IfMatch(bool Any, IReadOnlyList<ETag> ETags)
{
    public bool Matches(ETag current) => Any || ETags.Contains(current);

    /// <summary>The request's precondition, or null when it has none.</summary>
    public static IfMatch? From(HttpRequest request)
    {
        var values = request.Headers.IfMatch;
        if (values.Count == 0)
        {
            return null;
        }

        var etags = new List<ETag>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part == "*")
                {
                    return new IfMatch(true, []);
                }

                if (part.Length >= 2 && part[0] == '"' && part[^1] == '"')
                {
                    etags.Add(new ETag(part));
                }
            }
        }

        return new IfMatch(false, etags);
    }
}
