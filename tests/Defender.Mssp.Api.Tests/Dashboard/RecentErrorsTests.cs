using Defender.Mssp.Api.Dashboard.History;

namespace Defender.Mssp.Api.Tests.Dashboard;

public sealed class RecentErrorsTests
{
    private static readonly DateTimeOffset T0 = Fleets.T0;

    [Fact]
    public void A_repeat_of_the_newest_error_is_counted_on_it_not_kept_again()
    {
        var errors = new RecentErrors(capacity: 5);

        errors.Add("http_503", "siem", T0);
        errors.Add("http_503", "siem", T0.AddMinutes(1));
        errors.Add("http_503", "siem", T0.AddMinutes(2));

        var only = Assert.Single(errors.Newest);
        Assert.Equal(new ObservedError("http_503", "siem", T0, T0.AddMinutes(2), 3), only);
    }

    [Fact]
    public void The_same_code_from_another_source_or_after_another_error_is_a_new_entry_newest_first()
    {
        var errors = new RecentErrors(capacity: 5);

        errors.Add("http_503", "siem", T0);
        errors.Add("http_503", "incidents", T0.AddMinutes(1));
        errors.Add("http_503", "siem", T0.AddMinutes(2));

        Assert.Equal(["siem", "incidents", "siem"], errors.Newest.Select(error => error.Source));
        Assert.All(errors.Newest, error => Assert.Equal(1, error.Occurrences));
    }

    [Fact]
    public void Only_the_newest_distinct_errors_up_to_the_capacity_are_kept()
    {
        var errors = new RecentErrors(capacity: 2);

        errors.Add("a", null, T0);
        errors.Add("b", null, T0.AddMinutes(1));
        errors.Add("c", null, T0.AddMinutes(2));

        Assert.Equal(["c", "b"], errors.Newest.Select(error => error.Code));
    }
}
