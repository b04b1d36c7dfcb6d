using System.Runtime.CompilerServices;
using System.Text.Json;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Reads a Microsoft Graph collection to its end by following <c>@odata.nextLink</c>, never by building
/// <c>$skip</c> itself (Graph refuses a <c>$skip</c> above 500; its links carry a skip token instead). A link is
/// followed only to the scheme, host and port the read started at, so the tenant's token never leaves for another
/// host; a link already followed, or more pages than <c>Defender:MaxPagesPerRead</c>, fails the read rather than
/// looping.
/// </summary>
internal sealed partial class NextLinkPager(DefenderApiClient api, int maxPages, ILogger logger)
{
    private readonly ILogger _logger = logger;

    public async IAsyncEnumerable<DefenderRecord> ReadAsync(
        string source, TenantSettings tenant, string resource, Uri first, Func<JsonElement, DefenderRecord> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var followed = new HashSet<string>(StringComparer.Ordinal) { first.AbsoluteUri };
        var uri = first;
        for (var page = 1; ; page++)
        {
            var parser = new ODataPage(map);
            var read = await api.GetPageAsync(new ApiRequest(source, tenant, resource, uri),
                    (body, poisons, ct) => parser.ParseAsync(body, poisons, ct), cancellationToken)
                .ConfigureAwait(false);
            foreach (var record in read.Records)
            {
                yield return record;
            }

            if (parser.NextLink is not { Length: > 0 } link)
            {
                LogReadComplete(tenant.TenantId, source, page);
                yield break;
            }

            if (page >= maxPages)
            {
                throw new DefenderApiException(source, 200,
                    $"{source} read for tenant '{tenant.TenantId}' needed more than {maxPages} pages; " +
                    "shorten the window or raise Defender:MaxPagesPerRead", errorCode: "TooManyPages");
            }

            uri = Next(source, tenant, first, uri, link);
            if (!followed.Add(uri.AbsoluteUri))
            {
                throw new DefenderApiException(source, 200,
                    $"{source} API for tenant '{tenant.TenantId}' sent a nextLink it had sent before ({uri.AbsolutePath}); " +
                    "following it would never end", errorCode: "NextLinkLoop");
            }
        }
    }

    private static Uri Next(string source, TenantSettings tenant, Uri first, Uri current, string link)
    {
        if (!Uri.TryCreate(current, link, out var next) || next.Scheme != first.Scheme
            || !string.Equals(next.Host, first.Host, StringComparison.OrdinalIgnoreCase) || next.Port != first.Port)
        {
            // Never send a tenant's bearer token to a host the configuration did not name.
            throw new DefenderApiException(source, 200,
                $"{source} API for tenant '{tenant.TenantId}' sent a nextLink to another host than {first.Host} " +
                "(its token is sent to the configured host only)", errorCode: "ForeignNextLink");
        }

        return next;
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Debug,
        Message = "{Source} read for tenant {TenantId} complete after {Pages} page(s)")]
    private partial void LogReadComplete(string tenantId, string source, int pages);
}
