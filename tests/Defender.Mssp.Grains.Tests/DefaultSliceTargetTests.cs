using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.Tests.Fakes;

namespace Defender.Mssp.Grains.Tests;

/// <summary>
/// The default slice target against the SIEM API, which has no paging: each slice of a backlog costs one call of at most
/// <see cref="SiemPage"/> alerts, unless it comes back full and is split into more calls.
/// </summary>
public sealed class DefaultSliceTargetTests
{
    /// <summary><c>Defender:SiemPageLimit</c>'s default (<c>DefenderClientOptions.DefaultSiemPageLimit</c>).</summary>
    private const int SiemPage = 10_000;

    private readonly GrainHarness _h = new();

    [Fact]
    public async Task A_day_of_backlog_is_read_in_slices_each_close_to_one_SIEM_page_and_never_a_full_one()
    {
        Assert.Equal(PollingOptions.DefaultSliceRecords, _h.Options.SliceRecords);
        _h.Settings = _h.Settings with { InitialLookback = TimeSpan.FromDays(1) };
        _h.Incidents.Bounded = true;
        const int Count = 120_000;
        var from = _h.Now - TimeSpan.FromDays(1);
        var step = TimeSpan.FromDays(1) / Count;
        for (var i = 0; i < Count; i++)
        {
            _h.Incidents.Publish($"r{i:D6}", from + step * i);
        }

        var grain = await _h.ActivateAsync();
        var result = await grain.PollOnceAsync(CancellationToken.None);

        // Everything but the last minute (the ingestion delay) is delivered.
        Assert.InRange(result.Delivered, Count - (Count / 1440) - 1, Count);

        // The first slice is an hour (the window starts an overlap before the records do, so it holds fewer than the
        // 5,000 of an hour here); every later one but the last, cut by the window's end, is sized to the target from
        // the density before it: most of a SIEM page, so the backlog takes few calls, and never a full page, which the
        // SIEM API would cut off and the source would have to split.
        var reads = _h.Incidents.Consumed;
        Assert.Equal(TimeSpan.FromHours(1), _h.Incidents.Windows[0].Length);
        Assert.All(reads.Skip(1).SkipLast(1), read => Assert.InRange(read, SiemPage * 8 / 10, SiemPage - 1));
        Assert.InRange(reads.Count, 2, 2 + Count / (SiemPage * 8 / 10));
    }
}
