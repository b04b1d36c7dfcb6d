using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Tests;

public sealed class SliceSizerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RecordWindow Day = new(Start, Start.AddDays(1));

    private readonly PollingOptions _options = new() { SliceRecords = 1_000 };

    [Fact]
    public void Before_anything_is_learned_a_window_is_one_slice()
    {
        var sizer = new SliceSizer(_options);

        Assert.Equal(Day, sizer.Next(Day, Day.From));
    }

    [Fact]
    public void A_read_is_abandoned_only_past_four_times_the_target_and_only_when_the_slice_can_shrink()
    {
        var sizer = new SliceSizer(_options);

        Assert.False(sizer.ShouldAbandon(Day, 4_000));
        Assert.True(sizer.ShouldAbandon(Day, 4_001));
        Assert.False(sizer.ShouldAbandon(new RecordWindow(Start, Start + SliceSizer.MinimumSpan), 1_000_000));
    }

    [Fact]
    public void An_abandoned_read_is_retried_on_a_slice_sized_to_the_target_at_the_density_read_so_far()
    {
        var sizer = new SliceSizer(_options);

        sizer.Abandoned(Day, 8_000);

        Assert.Equal(new RecordWindow(Start, Start.AddHours(3)), sizer.Next(Day, Start));
    }

    [Fact]
    public void The_next_slice_is_sized_to_the_target_at_the_density_just_read_growing_at_most_fourfold()
    {
        var sizer = new SliceSizer(_options);
        var hour = new RecordWindow(Start, Start.AddHours(1));

        sizer.Completed(Day, hour, 4_000);
        Assert.Equal(TimeSpan.FromMinutes(15), sizer.Span);

        var quarter = sizer.Next(Day, hour.To);
        sizer.Completed(Day, quarter, 10);
        Assert.Equal(TimeSpan.FromMinutes(60), sizer.Span);
    }

    [Fact]
    public void A_short_tail_of_a_window_does_not_shrink_the_learned_slice()
    {
        var sizer = new SliceSizer(_options);
        sizer.Completed(Day, new RecordWindow(Start, Start.AddHours(1)), 4_000);

        var tail = new RecordWindow(Day.To.AddSeconds(-10), Day.To);
        sizer.Completed(Day, tail, 1);

        Assert.Equal(TimeSpan.FromMinutes(60), sizer.Span);
    }

    [Fact]
    public void Once_a_slice_would_cover_the_whole_window_nothing_is_remembered()
    {
        var sizer = new SliceSizer(_options);
        var sixMinutes = new RecordWindow(Start, Start.AddMinutes(6));

        sizer.Completed(sixMinutes, sixMinutes, 300);

        Assert.Null(sizer.Span);
    }
}
