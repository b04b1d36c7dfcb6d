using System.Globalization;
using System.Text;

namespace Defender.Simulator.Api;

/// <summary>
/// The query options of Graph's security list APIs: <c>$filter</c>, <c>$top</c> (at most the API's cap),
/// <c>$skip</c> (at most 500), <c>$skiptoken</c> (from <c>@odata.nextLink</c>), <c>$count</c> and, where the API has
/// it, <c>$expand</c>. Anything else, repeated or out of range is a 400, as Graph answers it.
/// </summary>
internal sealed record GraphQuery(int Top, int Skip, string? Position, string? Filter, string? Expand, bool Count)
{
    /// <summary>Graph security APIs refuse a larger <c>$skip</c>; their nextLink pages with a skip token instead.</summary>
    public const int MaxSkip = 500;

    private static readonly string[] Known = ["$filter", "$top", "$skip", "$skiptoken", "$count", "$expand"];

    public static GraphQuery? TryParse(IQueryCollection query, int maxTop, IReadOnlyList<string> expandable, string typeName, out string? error)
    {
        error = null;
        foreach (var key in query.Keys)
        {
            if (key.StartsWith('$') && (!Known.Contains(key, StringComparer.OrdinalIgnoreCase)
                                        || (key.Equals("$expand", StringComparison.OrdinalIgnoreCase) && expandable.Count == 0)))
            {
                error = $"Query option '{key}' is not supported.";
                return null;
            }

            if (query[key].Count > 1)
            {
                error = $"Query option '{key}' was specified more than once but it must be specified at most once.";
                return null;
            }
        }

        var top = maxTop;
        var topText = query["$top"].ToString();
        if (topText.Length > 0)
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1)
            {
                error = $"Invalid value '{topText}' for $top query option found. The $top query value must be a positive integer.";
                return null;
            }

            if (top > maxTop)
            {
                error = $"The limit of '{maxTop}' for Top query has been exceeded. The value from the incoming request is '{top}'.";
                return null;
            }
        }

        var skip = 0;
        var skipText = query["$skip"].ToString();
        if (skipText.Length > 0)
        {
            if (!int.TryParse(skipText, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
            {
                error = $"Invalid value '{skipText}' for $skip query option found. The $skip query value must be a non-negative integer.";
                return null;
            }

            if (skip > MaxSkip)
            {
                error = $"The limit of '{MaxSkip}' for Skip query has been exceeded. The value from the incoming request is '{skip}'.";
                return null;
            }
        }

        string? position = null;
        var token = query["$skiptoken"].ToString();
        if (token.Length > 0 && !GraphSkipToken.TryDecode(token, out position!))
        {
            error = "The $skiptoken is invalid or expired.";
            return null;
        }

        var countText = query["$count"].ToString();
        if (countText.Length > 0 && !bool.TryParse(countText, out _))
        {
            error = $"Invalid value '{countText}' for $count query option found. Valid values are 'true' and 'false'.";
            return null;
        }

        var expand = query["$expand"].ToString();
        if (expand.Length > 0 && !expandable.Contains(expand, StringComparer.OrdinalIgnoreCase))
        {
            error = $"Could not find a property named '{expand}' on type '{typeName}'.";
            return null;
        }

        var filter = query["$filter"].ToString();
        return new GraphQuery(
            top, skip, position, filter.Length > 0 ? filter : null, expand.Length > 0 ? expand : null,
            countText.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The absolute URL of the next page on the host the request came to: the same options, <c>$skip</c> dropped
    /// (already applied) and a <c>$skiptoken</c> holding <paramref name="position"/>.
    /// </summary>
    public static string NextLink(HttpRequest request, string position)
    {
        var link = new StringBuilder()
            .Append(request.Scheme).Append("://").Append(request.Host.Value).Append(request.PathBase).Append(request.Path).Append('?');
        foreach (var (key, values) in request.Query)
        {
            if (key.Equals("$skip", StringComparison.OrdinalIgnoreCase) || key.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            link.Append(Uri.EscapeDataString(key).Replace("%24", "$", StringComparison.Ordinal))
                .Append('=').Append(Uri.EscapeDataString(values.ToString())).Append('&');
        }

        return link.Append("$skiptoken=").Append(GraphSkipToken.Encode(position)).ToString();
    }
}
