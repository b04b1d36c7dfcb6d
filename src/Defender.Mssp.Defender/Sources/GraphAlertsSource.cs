using System.Text.Json;
using Defender.Mssp.Defender.Api;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Sources;

/// <summary>
/// Microsoft Graph alerts (<see cref="DefenderSources.GraphAlerts"/>), the SIEM API's successor:
/// <c>GET {GraphBase}/v1.0/security/alerts_v2?$filter=lastUpdateDateTime ge {window start}&amp;$top={n}</c>, then
/// every <c>@odata.nextLink</c> to the end (<see cref="NextLinkPager"/>). Alerts are updated in place; each new
/// <c>lastUpdateDateTime</c> is a new version. Record id = <c>id</c> (the SIEM API's AlertId for Defender for
/// Endpoint alerts), time = <c>lastUpdateDateTime</c>, raw = the alert's JSON as served. Token resource: the cloud's
/// <see cref="DefenderCloudEndpoints.GraphResource"/>.
/// </summary>
public sealed class GraphAlertsSource : IRecordSource
{
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderEndpointsOptions _endpoints;
    private readonly SuccessorSourceOptions _options;
    private readonly NextLinkPager _pager;

    internal GraphAlertsSource(
        DefenderApiClient api,
        IAccessTokenProvider tokens,
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderClientOptions> client,
        IOptions<SuccessorSourceOptions> options,
        ILogger<GraphAlertsSource> logger)
    {
        _tokens = tokens;
        _endpoints = endpoints.Value;
        _options = options.Value;
        _pager = new NextLinkPager(api, client.Value.MaxPagesPerRead, logger);
    }

    public string Name => DefenderSources.GraphAlerts;

    public IAsyncEnumerable<DefenderRecord> ReadAsync(TenantSettings tenant, RecordWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var endpoints = _endpoints.For(tenant.Cloud);
        var first = SuccessorQueries.GraphAlerts(endpoints.GraphBase, window, _options.GraphAlertsPageSize);
        return _pager.ReadAsync(Name, tenant, endpoints.GraphResource, first, ToRecord, cancellationToken);
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) =>
        _tokens.GetCachedExpiry(tenant, _endpoints.For(tenant.Cloud).GraphResource);

    private static DefenderRecord ToRecord(JsonElement alert) => new(
        JsonRecords.IdOf(alert, "id") ?? throw new InvalidDataException("An alert has no 'id'."),
        JsonRecords.TimeOf(alert, "lastUpdateDateTime"),
        JsonRecords.Raw(alert));
}
