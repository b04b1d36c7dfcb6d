using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains;

/// <summary>One source's part of a turn, for observers (metrics) and tests.</summary>
/// <param name="Source">The configured source name.</param>
/// <param name="Status">What happened.</param>
/// <param name="Delivered">Record versions the sink acknowledged in this turn.</param>
/// <param name="Health">The source's health after the turn.</param>
/// <param name="Window">The window queried, if one was.</param>
/// <param name="Error">The failure, when <paramref name="Status"/> is <see cref="SourcePollStatus.Failed"/>.</param>
/// <param name="Duration">Time spent on the source, by the grain's clock.</param>
/// <param name="Watermark">The source's checkpoint watermark after the turn (null before its first complete window).</param>
public sealed record SourcePollResult(
    string Source,
    SourcePollStatus Status,
    int Delivered,
    TenantHealth Health,
    RecordWindow? Window,
    TenantError? Error,
    TimeSpan Duration,
    DateTimeOffset? Watermark = null);
