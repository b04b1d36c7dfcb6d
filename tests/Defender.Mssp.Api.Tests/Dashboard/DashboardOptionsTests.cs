using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Api.Dashboard;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class DashboardOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_keep_an_hour_of_minutes()
    {
        var options = new DashboardOptions();

        Assert.Empty(Validate(options));
        Assert.Equal(60, options.BucketCount);
    }

    [Theory]
    [InlineData("00:00:00.500", "01:00:00", "00:01:00")]
    [InlineData("00:00:15", "01:00:30", "00:01:00")]
    [InlineData("00:00:15", "00:00:30", "00:01:00")]
    [InlineData("00:00:15", "2.00:00:00", "00:01:00")]
    [InlineData("00:00:15", "00:01:00", "00:00:00.500")]
    public void A_sample_interval_or_window_that_does_not_fit_is_refused(string sample, string window, string bucket)
    {
        var options = new DashboardOptions
        {
            SampleInterval = TimeSpan.Parse(sample),
            HistoryWindow = TimeSpan.Parse(window),
            BucketWidth = TimeSpan.Parse(bucket),
        };

        Assert.NotEmpty(Validate(options));
    }

    private static List<ValidationResult> Validate(DashboardOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
