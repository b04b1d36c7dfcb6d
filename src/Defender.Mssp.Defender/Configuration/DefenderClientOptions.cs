using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>How the record sources query the APIs, bound from section <c>Defender</c> (e.g. <c>Defender:SiemPageLimit</c>).</summary>
public sealed class DefenderClientOptions
{
    public const string SectionName = "Defender";

    /// <summary>The incidents API's <c>$top</c> maximum.</summary>
    public const int MaxIncidentsPageSize = 100;

    public const int DefaultSiemPageLimit = 10_000;

    public const int DefaultMaxPagesPerRead = 10_000;

    public static readonly TimeSpan DefaultSiemMinimumSplitSpan = TimeSpan.FromMilliseconds(1);

    /// <summary>Sent as <c>X-Mssp-Silo-Id</c> on every API call when set, so the simulator can tell callers apart.</summary>
    public string? SiloId { get; set; }

    /// <summary>
    /// The SIEM API's <c>limit</c>. The API keeps only the most recent <c>limit</c> alerts of a window, so a window that
    /// returns this many is split and fetched again in halves.
    /// </summary>
    [Range(1, 100_000)]
    public int SiemPageLimit { get; set; } = DefaultSiemPageLimit;

    /// <summary>A SIEM window this short that is still cut off by <see cref="SiemPageLimit"/> fails rather than lose alerts.</summary>
    [Range(typeof(TimeSpan), "00:00:00.0000001", "1.00:00:00")]
    public TimeSpan SiemMinimumSplitSpan { get; set; } = DefaultSiemMinimumSplitSpan;

    /// <summary>The incidents API's <c>$top</c>; a shorter page ends the read.</summary>
    [Range(1, MaxIncidentsPageSize)]
    public int IncidentsPageSize { get; set; } = MaxIncidentsPageSize;

    /// <summary>A read that needs more pages than this fails, so a misbehaving API can never keep a poll busy forever.</summary>
    [Range(1, 1_000_000)]
    public int MaxPagesPerRead { get; set; } = DefaultMaxPagesPerRead;
}
