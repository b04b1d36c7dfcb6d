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
/// Defender for Endpoint alerts (<see cref="DefenderSources.Alerts"/>): <c>GET {EndpointApiBase}/api/alerts</c> with
/// <c>$filter=lastUpdateTime ge {window start}</c>, paged with <c>$top</c> (≤ 10,000) and <c>$skip</c> until a short
/// page, optionally with <c>$expand=evidence</c>. Alerts are updated in place; each new <c>lastUpdateTime</c> is a new
/// version. Record id = <c>id</c>, time = <c>lastUpdateTime</c>, raw = the alert's JSON as served. Token resource:
/// the cloud's <see cref="DefenderCloudEndpoints.EndpointResource"/>.
/// </summary>
public sealed partial class AlertsSource : IRecordSource
{
    private readonly DefenderApiClient _api;
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderEndpointsOptions _endpoints;
    private readonly DefenderClientOptions _client;
    private readonly SuccessorSourceOptions _options;
    private readonly ILogger<AlertsSource> _logger;

    internal AlertsSource(
        DefenderApiClient api,
        IAccessTokenProvider tokens,
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderClientOptions> client,
        IOptions<SuccessorSourceOptions> options,
        ILogger<AlertsSource> logger)
    {
        _api = api;
        _tokens = tokens;
        _endpoints = endpoints.Value;
        _client = client.Value;
        _options = options.Value;
        _logger = logger;
    }

    public string Name => DefenderSources.Alerts;

    public async IAsyncEnumerable<DefenderRecord> ReadAsync(
        TenantSettings tenant, RecordWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var endpoints = _endpoints.For(tenant.Cloud);
        var pageSize = _options.AlertsPageSize;
        var reads = SkipPager.ReadAsync(
            Name, tenant.TenantId, pageSize, _client.MaxPagesPerRead,
            (skip, ct) => _api.GetPageAsync(
                new ApiRequest(Name, tenant, endpoints.EndpointResource,
                    SuccessorQueries.Alerts(endpoints.EndpointApiBase, window, pageSize, skip, _options.AlertsExpandEvidence)),
                ParsePageAsync, ct),
            page => LogPageAddedNothing(tenant.TenantId, page),
            cancellationToken);
        await foreach (var record in reads.ConfigureAwait(false))
        {
            yield return record;
        }
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) =>
        _tokens.GetCachedExpiry(tenant, _endpoints.For(tenant.Cloud).EndpointResource);

    private static Task<IReadOnlyList<DefenderRecord>> ParsePageAsync(
        Stream body, List<PoisonRecord>? poisons, CancellationToken cancellationToken) =>
        new ODataPage(ToRecord).ParseAsync(body, poisons, cancellationToken);

    private static DefenderRecord ToRecord(JsonElement alert) => new(
        JsonRecords.IdOf(alert, "id") ?? throw new InvalidDataException("An alert has no 'id'."),
        JsonRecords.TimeOf(alert, "lastUpdateTime"),
        JsonRecords.Raw(alert));

    [LoggerMessage(EventId = 1510, Level = LogLevel.Warning,
        Message = "Alerts page {Page} for tenant {TenantId} was full but held only alerts already read; stopping")]
    private partial void LogPageAddedNothing(string tenantId, int page);
}
