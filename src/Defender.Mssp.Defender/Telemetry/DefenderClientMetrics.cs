using System.Diagnostics;
using System.Diagnostics.Metrics;
using Names = Defender.Mssp.Defender.Telemetry.DefenderTelemetryNames;

namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// The Defender clients' metrics on the <c>Defender.Mssp</c> meter:
/// <list type="bullet">
/// <item><c>defender.token.requests</c> ({request}): calls to the token endpoint; a token served from MSAL's cache is
/// not one. One per tenant and resource per token lifetime is the healthy rate.</item>
/// <item><c>defender.token.failures</c> ({failure}): failed token requests by <c>error.type</c> — the AADSTS code when
/// Entra ID gave one, else the OAuth or client error code (<c>invalid_client</c>, <c>no_response</c>…).</item>
/// <item><c>defender.api.responses</c> ({response}): every HTTP answer from a Defender API, retries included, by
/// <c>defender.source</c> and <c>http.response.status_code</c> (so 429s and 5xx show as such).</item>
/// <item><c>defender.api.throttled_waits</c> ({wait}) and <c>defender.api.throttled_wait.duration</c> (s): 429s the
/// client waited out before retrying, by <c>defender.source</c>.</item>
/// <item><c>defender.records.dead_lettered</c> ({record}): records that could not be parsed at all and went to the
/// dead-letter sink instead of the SIEM, by <c>defender.source</c>.</item>
/// </list>
/// No tag carries a tenant id: these series stay bounded however many tenants a silo polls.
/// </summary>
public sealed class DefenderClientMetrics
{
    private static readonly IReadOnlyList<double> WaitBuckets = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

    private readonly Counter<long> _tokenRequests;
    private readonly Counter<long> _tokenFailures;
    private readonly Counter<long> _apiResponses;
    private readonly Counter<long> _throttledWaits;
    private readonly Histogram<double> _throttledWaitDuration;
    private readonly Counter<long> _deadLettered;

    public DefenderClientMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Names.Product);
        _tokenRequests = meter.CreateCounter<long>("defender.token.requests", "{request}",
            "Requests to the token endpoint (tokens served from the cache are not counted).");
        _tokenFailures = meter.CreateCounter<long>("defender.token.failures", "{failure}",
            "Token requests that failed, by error code.");
        _apiResponses = meter.CreateCounter<long>("defender.api.responses", "{response}",
            "HTTP answers from the Defender APIs, by source and status code.");
        _throttledWaits = meter.CreateCounter<long>("defender.api.throttled_waits", "{wait}",
            "Throttled (429) answers the client waited out before retrying, by source.");
        _throttledWaitDuration = meter.CreateHistogram("defender.api.throttled_wait.duration", "s",
            "How long the client waited after a throttled (429) answer, by source.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _deadLettered = meter.CreateCounter<long>("defender.records.dead_lettered", "{record}",
            "Records that could not be parsed and were written to the dead-letter sink, by source.");
    }

    internal void DeadLettered(string source, int count) =>
        _deadLettered.Add(count, new KeyValuePair<string, object?>(Names.Source, source));

    internal void TokenRequested() => _tokenRequests.Add(1);

    internal void TokenFailed(string errorType) => _tokenFailures.Add(1, new KeyValuePair<string, object?>(Names.ErrorType, errorType));

    internal void ApiResponded(string source, int statusCode) =>
        _apiResponses.Add(1, new TagList { { Names.Source, source }, { Names.StatusCode, statusCode } });

    internal void ThrottledWait(string source, TimeSpan delay)
    {
        var tag = new KeyValuePair<string, object?>(Names.Source, source);
        _throttledWaits.Add(1, tag);
        _throttledWaitDuration.Record(delay.TotalSeconds, tag);
    }
}
