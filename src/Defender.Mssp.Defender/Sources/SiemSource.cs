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
/// Defender for Endpoint SIEM alerts (<see cref="DefenderSources.Siem"/>, seed 003) from the tenant's regional host.
/// The API has no paging: <c>limit</c> keeps only the most recent alerts of the window, so a window that comes back
/// full is split in halves and each half fetched again, until no window is cut off. A window shorter than
/// <see cref="DefenderClientOptions.SiemMinimumSplitSpan"/> that is still full fails the read instead of dropping
/// alerts. Record id = <c>FullId</c> (else <c>AlertId</c>), time = <c>LastProcessedTimeUtc</c>.
/// </summary>
public sealed partial class SiemSource : IRecordSource
{
    private readonly DefenderApiClient _api;
    private readonly IAccessTokenProvider _tokens;
    private readonly DefenderEndpointsOptions _endpoints;
    private readonly DefenderClientOptions _options;
    private readonly ILogger<SiemSource> _logger;

    internal SiemSource(
        DefenderApiClient api,
        IAccessTokenProvider tokens,
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderClientOptions> options,
        ILogger<SiemSource> logger)
    {
        _api = api;
        _tokens = tokens;
        _endpoints = endpoints.Value;
        _options = options.Value;
        _logger = logger;
    }

    public string Name => DefenderSources.Siem;

    /// <inheritdoc/>
    /// <remarks>The query has <c>untilTimeUtc={to}</c>.</remarks>
    public bool BoundedByWindowEnd => true;

    public async IAsyncEnumerable<DefenderRecord> ReadAsync(
        TenantSettings tenant, RecordWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var endpoints = _endpoints.For(tenant.Cloud);
        var siemBase = endpoints.SiemBaseFor(tenant.SiemRegion)
            ?? throw new DefenderApiException(Name, 0,
                $"No SIEM API host is configured for region '{tenant.SiemRegion}' in cloud {tenant.Cloud} (tenant '{tenant.TenantId}'); "
                + $"set Defender:{tenant.Cloud}:SiemBases:{tenant.SiemRegion}, or read the tenant's alerts with the alerts or graph-alerts source.",
                errorCode: "UnknownSiemRegion");
        var limit = _options.SiemPageLimit;

        // Depth first, older half first: alerts come out roughly in time order and the stack stays logarithmic.
        var pending = new Stack<RecordWindow>();
        pending.Push(window);
        var requests = 0;
        while (pending.TryPop(out var current))
        {
            if (++requests > _options.MaxPagesPerRead)
            {
                throw new DefenderApiException(Name, 200,
                    $"siem read for tenant '{tenant.TenantId}' needed more than {_options.MaxPagesPerRead} requests; " +
                    "shorten the window or raise Defender:SiemPageLimit", errorCode: "TooManyPages");
            }

            var uri = SiemQuery.Build(siemBase, current, limit, tenant.MachineGroups);
            var read = await _api.GetPageAsync(
                new ApiRequest(Name, tenant, endpoints.SiemResource, uri), ParsePageAsync, cancellationToken)
                .ConfigureAwait(false);
            var records = read.Records;
            if (read.Served < limit)
            {
                foreach (var record in records)
                {
                    yield return record;
                }

                continue;
            }

            // Full: older alerts of this window may have been dropped. Discard the page and ask for each half.
            var half = TimeSpan.FromTicks(current.Length.Ticks / 2);
            if (half < _options.SiemMinimumSplitSpan)
            {
                throw new DefenderApiException(Name, 200,
                    $"siem window {ODataTime.Format(current.From)}..{ODataTime.Format(current.To)} of tenant " +
                    $"'{tenant.TenantId}' holds at least {limit} alerts and cannot be split further; raise Defender:SiemPageLimit",
                    errorCode: "WindowTooDense");
            }

            LogSplitting(tenant.TenantId, current.From, current.To, limit);
            var middle = current.From + half;
            pending.Push(new RecordWindow(middle, current.To));
            pending.Push(new RecordWindow(current.From, middle));
        }
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) =>
        _tokens.GetCachedExpiry(tenant, _endpoints.For(tenant.Cloud).SiemResource);

    private static Task<IReadOnlyList<DefenderRecord>> ParsePageAsync(
        Stream body, List<PoisonRecord>? poisons, CancellationToken cancellationToken) =>
        JsonRecords.ReadArrayAsync(body, ToRecord, poisons, cancellationToken);

    private static DefenderRecord ToRecord(JsonElement alert) => new(
        JsonRecords.IdOf(alert, "FullId") ?? JsonRecords.IdOf(alert, "AlertId")
            ?? throw new InvalidDataException("An alert has neither 'FullId' nor 'AlertId'."),
        JsonRecords.TimeOf(alert, "LastProcessedTimeUtc"),
        JsonRecords.Raw(alert));

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug,
        Message = "SIEM window {From:O}..{To:O} for tenant {TenantId} returned the limit of {Limit} alerts; splitting it")]
    private partial void LogSplitting(string tenantId, DateTimeOffset from, DateTimeOffset to, int limit);
}
