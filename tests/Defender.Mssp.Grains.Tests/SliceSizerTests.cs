using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Records;

namespace Defender.Mssp.Grains.Tests;

public sealed class SliceSizerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RecordWindow Day = new(Start, Start.AddDays(1));

    private readonly PollingOptions _options = new() { SliceRecords = 1_000 };

    [Fact]
    public void Before_anything_is_learned_a_long_window_is_approached_an_hour_first_and_a_short_one_read_whole()
    {
        var sizer = new SliceSizer(_options);
        var pollWindow = new RecordWindow(Start, Start.AddMinutes(6));

        Assert.Equal(new RecordWindow(Start, Start.AddHours(1)), sizer.Next(Day, Day.From));
        Assert.Equal(pollWindow, sizer.Next(pollWindow, pollWindow.From));
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

        sizer.Abandoned(Day, 8_000, Day.To);

        Assert.Equal(new RecordWindow(Start, Start.AddHours(3)), sizer.Next(Day, Start));
    }

    [Fact]
    public void An_abandoned_read_that_answered_oldest_first_is_sized_from_the_part_it_reached()
    {
        var sizer = new SliceSizer(_options);

        // 8,000 records in the first 6 hours of the day: 1,000 take 45 minutes, not 3 hours.
        sizer.Abandoned(Day, 8_000, Start.AddHours(6));

        Assert.Equal(TimeSpan.FromMinutes(45), sizer.Span);
    }

    [Fact]
    public void The_next_slice_is_sized_to_the_target_at_the_density_just_read_growing_at_most_fourfold()
    {
        var sizer = new SliceSizer(_options);
        var hour = new RecordWindow(Start, Start.AddHours(1));

        sizer.Completed(hour, 4_000);
        Assert.Equal(TimeSpan.FromMinutes(15), sizer.Span);

        var quarter = sizer.Next(Day, hour.To);
        sizer.Completed(quarter, 10);
        Assert.Equal(TimeSpan.FromMinutes(60), sizer.Span);
    }

    [Fact]
    public void A_short_tail_of_a_window_does_not_shrink_the_learned_slice()
    {
        var sizer = new SliceSizer(_options);
        sizer.Completed(new RecordWindow(Start, Start.AddHours(1)), 4_000);

        var tail = new RecordWindow(Day.To.AddSeconds(-10), Day.To);
        sizer.Completed(tail, 1);

        Assert.Equal(TimeSpan.FromMinutes(60), sizer.Span);
    }

    [Fact]
    public void A_sparse_source_grows_its_slices_to_at_most_a_day()
    {
        var sizer = new SliceSizer(_options);
        var from = Start;
        for (var i = 0; i < 10; i++)
        {
            var slice = sizer.Next(new RecordWindow(Start, Start.AddDays(30)), from);
            sizer.Completed(slice, 0);
            from = slice.To;
        }

        Assert.Equal(SliceSizer.MaximumSpan, sizer.Span);
    }
}
