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
/// Microsoft Graph incidents (<see cref="DefenderSources.GraphIncidents"/>):
/// <c>GET {GraphBase}/v1.0/security/incidents?$filter=lastUpdateDateTime ge {window start}&amp;$top={n ≤ 50}</c>,
/// optionally <c>$expand=alerts</c>, then every <c>@odata.nextLink</c> to the end. Incidents are updated in place
/// (status, classification, alerts joining); each new <c>lastUpdateDateTime</c> is a new version, and an incident
/// merged into another (<c>redirectIncidentId</c> set) is delivered like any other version. Record id = <c>id</c>,
/// time = <c>lastUpdateDateTime</c>, raw = the incident's JSON as served. Token resource: the cloud's
/// <see cref="DefenderCloudEndpoints.GraphResource"/>.
/// </summary>
public sealed class GraphIncidentsSource : IRecordSource
{
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderEndpointsOptions _endpoints;
    private readonly SuccessorSourceOptions _options;
    private readonly NextLinkPager _pager;

    internal GraphIncidentsSource(
        DefenderApiClient api,
        IAccessTokenProvider tokens,
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderClientOptions> client,
        IOptions<SuccessorSourceOptions> options,
        ILogger<GraphIncidentsSource> logger)
    {
        _tokens = tokens;
        _endpoints = endpoints.Value;
        _options = options.Value;
        _pager = new NextLinkPager(api, client.Value.MaxPagesPerRead, logger);
    }

    public string Name => DefenderSources.GraphIncidents;

    public IAsyncEnumerable<DefenderRecord> ReadAsync(TenantSettings tenant, RecordWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var endpoints = _endpoints.For(tenant.Cloud);
        var first = SuccessorQueries.GraphIncidents(
            endpoints.GraphBase, window, _options.GraphIncidentsPageSize, _options.GraphIncidentsExpandAlerts);
        return _pager.ReadAsync(Name, tenant, endpoints.GraphResource, first, ToRecord, cancellationToken);
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) =>
        _tokens.GetCachedExpiry(tenant, _endpoints.For(tenant.Cloud).GraphResource);

    private static DefenderRecord ToRecord(JsonElement incident) => new(
        JsonRecords.IdOf(incident, "id") ?? throw new InvalidDataException("An incident has no 'id'."),
        JsonRecords.TimeOf(incident, "lastUpdateDateTime"),
        JsonRecords.Raw(incident));
}
