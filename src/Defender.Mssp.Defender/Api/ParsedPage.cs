using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Api;

/// <summary>
/// A page's good records and how many poison records it also held (already dead-lettered). Paging decides on
/// <see cref="Served"/>: a full page with one poison record is still full, and the next page must still be read.
/// </summary>
internal readonly record struct ParsedPage(IReadOnlyList<DefenderRecord> Records, int PoisonCount)
{
    /// <summary>How many records the API served on the page.</summary>
    public int Served => Records.Count + PoisonCount;
}
