using Defender.Mssp.Sinks.Syslog;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>CEF's two escaping rules: header fields escape <c>\</c> and <c>|</c>; extension values escape <c>\</c> and <c>=</c> and encode line breaks.</summary>
public sealed class CefEscapingTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a|b", @"a\|b")]
    [InlineData(@"C:\temp", @"C:\\temp")]
    [InlineData(@"\|", @"\\\|")]
    [InlineData("key=value", "key=value")]
    [InlineData("two\nlines\r\n", "two lines  ")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Header_fields_escape_backslash_and_pipe_and_turn_line_breaks_into_spaces(string? value, string expected) =>
        Assert.Equal(expected, CefEscaping.Header(value));

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a=b", @"a\=b")]
    [InlineData(@"C:\temp", @"C:\\temp")]
    [InlineData(@"\=", @"\\\=")]
    [InlineData("a|b", "a|b")]
    [InlineData("first\nsecond\r\nthird", @"first\nsecond\r\nthird")]
    [InlineData(@"trailing\", @"trailing\\")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Extension_values_escape_backslash_and_equals_and_encode_line_breaks_but_leave_pipes(string? value, string expected) =>
        Assert.Equal(expected, CefEscaping.ExtensionValue(value));

    [Fact]
    public void A_hostile_alert_formats_as_CEF_that_parses_back_to_its_fields()
    {
        var record = TestRecords.HostileSiemAlert("hostile", TestRecords.T0);
        var options = SyslogExpectations.Options(514, SyslogFormat.Cef);

        var raw = SyslogMessages.Message(options, SyslogExpectations.Hostname, TestRecords.Tenant, SyslogExpectations.Source, record, TestRecords.T0);

        SyslogExpectations.AssertCefMessage(raw, TestRecords.Tenant, record);
        Assert.DoesNotContain('\n', raw);
        Assert.DoesNotContain('\r', raw);
    }

    [Fact]
    public void Every_severity_is_mapped_to_CEF_and_syslog()
    {
        var options = SyslogExpectations.Options(514, SyslogFormat.Cef);
        foreach (var severity in new[] { "High", "Medium", "Low", "Informational", "UnSpecified", "high" })
        {
            var record = TestRecords.SiemAlert("a-" + severity, TestRecords.T0, severity: severity);
            var message = Rfc5424Message.Parse(
                SyslogMessages.Message(options, SyslogExpectations.Hostname, TestRecords.Tenant, SyslogExpectations.Source, record, TestRecords.T0));

            // Defender's values are case-insensitive (Graph writes them in lower case).
            var expected = SyslogExpectations.Severity(severity == "high" ? "High" : severity);
            Assert.Equal(expected.Syslog, message.Severity);
            Assert.Equal(expected.Cef.ToString(System.Globalization.CultureInfo.InvariantCulture), CefEvent.Parse(message.Msg).Severity);
        }
    }
}
