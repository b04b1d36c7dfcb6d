namespace Defender.Mssp.Api.Dashboard.Contracts;

/// <summary>
/// What the fleet did over the window (<c>GET /dashboard/history</c>): one bucket per <see cref="BucketWidth"/>,
/// oldest first, each with the records delivered and the polls completed by outcome. Observed by this API instance
/// since <see cref="ObservingSince"/>; buckets before that are empty because nothing was watching, not because nothing
/// happened.
/// </summary>
/// <param name="Outcomes">Every poll outcome, in the order the charts stack them.</param>
public sealed record DashboardHistoryResponse(
    DateTimeOffset ServerTime,
    DateTimeOffset? ObservingSince,
    TimeSpan BucketWidth,
    TimeSpan Window,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<DashboardHistoryBucket> Buckets);

/// <summary>One bucket: when it starts, records delivered in it, and completed polls by outcome name.</summary>
public sealed record DashboardHistoryBucket(DateTimeOffset Start, long RecordsDelivered, IReadOnlyDictionary<string, int> Polls);
