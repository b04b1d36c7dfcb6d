using System.Text.Json;
using System.Text.Json.Nodes;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.TestKit.Sinks;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>
/// The syslog sink against Debian's rsyslogd over loopback TCP: every record arrives, in order, as a message
/// rsyslog's own RFC 5424 parser accepts, whose CEF (or JSON) body carries the record's fields, severity and
/// idempotency key with CEF's escaping intact.
/// </summary>
public sealed class SyslogRsyslogTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private RsyslogReceiver _rsyslog = null!;

    public async Task InitializeAsync() => _rsyslog = await RsyslogReceiver.StartAsync();

    public async Task DisposeAsync() => await _rsyslog.DisposeAsync();

    [Fact]
    public async Task Every_record_arrives_in_order_as_RFC_5424_with_a_CEF_body_that_parses_back_to_the_record()
    {
        var first = SyslogExpectations.Alerts(5, "a");
        var second = SyslogExpectations.Alerts(40, "b");
        using var sink = new SyslogRecordSink("rsyslog", SyslogExpectations.Options(_rsyslog.Port, SyslogFormat.Cef), TimeProvider.System);

        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, first, CancellationToken.None);
        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, second, CancellationToken.None);

        DefenderRecord[] sent = [.. first, .. second];
        var received = await _rsyslog.WaitForMessagesAsync(sent.Length, Generous);
        Assert.Equal(sent.Length, received.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            var message = received[i];
            // rsyslog's RFC 5424 parser took it (its legacy parser reports version 0) and saw what the header says.
            Assert.Equal("1", message.Version);
            var expected = SyslogExpectations.Severity(Field(sent[i], "Severity"));
            Assert.Equal(expected.Syslog.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Severity);
            Assert.Equal(("16", SyslogExpectations.Hostname, "defender-mssp", SyslogExpectations.Source),
                (message.Facility, message.Hostname, message.AppName, message.MsgId));
            Assert.Contains($"idempotencyKey=\"{IdempotencyKey.Compute(TestRecords.Tenant, SyslogExpectations.Source, sent[i].Key)}\"",
                message.StructuredData, StringComparison.Ordinal);

            SyslogExpectations.AssertCefMessage(message.Raw, TestRecords.Tenant, sent[i]);
            Assert.Equal(Rfc5424Message.Parse(message.Raw).Msg, message.Msg);
        }

        Assert.Equal(sent.Select(record => record.Id), _rsyslog.ReadLines().Select(line => CefEvent.Parse(line).Extensions["externalId"]));
    }

    [Fact]
    public async Task With_a_JSON_body_every_message_is_the_records_envelope_on_one_line()
    {
        var records = SyslogExpectations.Alerts(10, "j");
        using var sink = new SyslogRecordSink("rsyslog-json", SyslogExpectations.Options(_rsyslog.Port, SyslogFormat.Json), TimeProvider.System);

        await sink.DeliverAsync(TestRecords.OtherTenant, SyslogExpectations.Source, records, CancellationToken.None);

        var received = await _rsyslog.WaitForMessagesAsync(records.Length, Generous);
        Assert.Equal(records.Length, received.Count);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal("1", received[i].Version);
            var envelope = JsonNode.Parse(received[i].Msg)!;
            Assert.Equal(TestRecords.OtherTenant, (string?)envelope["tenantId"]);
            Assert.Equal(SyslogExpectations.Source, (string?)envelope["source"]);
            Assert.Equal(records[i].Id, (string?)envelope["id"]);
            Assert.Equal(records[i].LastUpdateTime, envelope["lastUpdateTime"]!.GetValue<DateTimeOffset>());
            Assert.Equal(IdempotencyKey.Compute(TestRecords.OtherTenant, SyslogExpectations.Source, records[i].Key), (string?)envelope["idempotencyKey"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(records[i].Raw.Span), envelope["record"]), $"Record {records[i].Id} changed on its way.");
            Assert.Equal(
                SyslogExpectations.Severity(Field(records[i], "Severity")).Syslog.ToString(System.Globalization.CultureInfo.InvariantCulture),
                received[i].Severity);
        }
    }

    private static string? Field(DefenderRecord record, string name)
    {
        using var document = JsonDocument.Parse(record.Raw);
        return document.RootElement.GetProperty(name).GetString();
    }
}
