using System.Runtime.CompilerServices;
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
/// Microsoft 365 Defender incidents (<see cref="DefenderSources.Incidents"/>, seed 000): pages through
/// <c>/api/incidents</c> with <c>$top</c>/<c>$skip</c> until a short page. Record id = <c>incidentId</c>, time =
/// <c>lastUpdateTime</c>, raw = the incident's JSON as served.
/// </summary>
public sealed partial class IncidentsSource : IRecordSource
{
    private readonly DefenderApiClient _api;
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderEndpointsOptions _endpoints;
    private readonly DefenderClientOptions _options;
    private readonly ILogger<IncidentsSource> _logger;

    internal IncidentsSource(
        DefenderApiClient api,
        IAccessTokenProvider tokens,
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderClientOptions> options,
        ILogger<IncidentsSource> logger)
    {
        _api = api;
        _tokens = tokens;
        _endpoints = endpoints.Value;
        _options = options.Value;
        _logger = logger;
    }

    public string Name => DefenderSources.Incidents;

    /// <inheritdoc/>
    /// <remarks>The query has <c>lastUpdateTime lt {to}</c>.</remarks>
    public bool BoundedByWindowEnd => true;

    public async IAsyncEnumerable<DefenderRecord> ReadAsync(
        TenantSettings tenant, RecordWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var endpoints = _endpoints.For(tenant.Cloud);
        var xdrBase = endpoints.XdrApiBaseFor(tenant.XdrRegion)
            ?? throw new DefenderApiException(Name, 0,
                $"No XDR API host is configured for region '{tenant.XdrRegion}' in cloud {tenant.Cloud} (tenant '{tenant.TenantId}'); "
                + $"set Defender:{tenant.Cloud}:XdrRegionalBases:{tenant.XdrRegion} or clear the tenant's XDR region.",
                errorCode: "UnknownXdrRegion");
        var pageSize = _options.IncidentsPageSize;
        var reads = SkipPager.ReadAsync(
            Name, tenant.TenantId, pageSize, _options.MaxPagesPerRead,
            (skip, ct) => _api.GetPageAsync(
                new ApiRequest(Name, tenant, endpoints.IncidentsResource, IncidentsQuery.Build(xdrBase, window, pageSize, skip)), ParsePageAsync, ct),
            page => LogPageAddedNothing(tenant.TenantId, page),
            cancellationToken);
        await foreach (var record in reads.ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) =>
        _tokens.GetCachedExpiry(tenant, _endpoints.For(tenant.Cloud).IncidentsResource);

    private static Task<IReadOnlyList<DefenderRecord>> ParsePageAsync(
        Stream body, List<PoisonRecord>? poisons, CancellationToken cancellationToken) =>
        JsonRecords.ReadODataPageAsync(body, ToRecord, poisons, cancellationToken);

    private static DefenderRecord ToRecord(JsonElement incident) => new(
        JsonRecords.IdOf(incident, "incidentId") ?? throw new InvalidDataException("An incident has no 'incidentId'."),
        JsonRecords.TimeOf(incident, "lastUpdateTime"),
        JsonRecords.Raw(incident));

    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning,
        Message = "Incidents page {Page} for tenant {TenantId} was full but held only records already read; stopping")]
    private partial void LogPageAddedNothing(string tenantId, int page);
}
