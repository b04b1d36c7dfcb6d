using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.TestKit;
using Defender.Mssp.TestKit.Sinks;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>
/// Syslog over TLS (RFC 5425) against Debian's rsyslogd with its GnuTLS driver (package rsyslog-gnutls) on a loopback
/// port, presenting the test certificate: the sink trusts it through its own trust anchors and checks the host name;
/// a collector it does not trust is a fault an operator must fix, not an outage to wait out.
/// </summary>
public sealed class SyslogTlsTests : IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "syslog-tls-" + Guid.NewGuid().ToString("N"));
    private RsyslogReceiver _rsyslog = null!;

    private string AnchorsPath => Path.Combine(_folder, "anchors.pem");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        TestCertificates.WritePublicPem(TestCertificates.Server, AnchorsPath);
        _rsyslog = await RsyslogReceiver.StartAsync(TestCertificates.Server);
    }

    public async Task DisposeAsync()
    {
        await _rsyslog.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Over_TLS_every_record_arrives_in_order_as_RFC_5424_with_its_CEF_body_and_idempotency_key()
    {
        var records = SyslogExpectations.Alerts(20, "t");
        using var sink = new SyslogRecordSink("tls", TlsOptions(AnchorsPath), TimeProvider.System);

        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, records[..7], CancellationToken.None);
        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, records[7..], CancellationToken.None);
        var received = await _rsyslog.WaitForMessagesAsync(records.Length, Generous);

        Assert.Equal(records.Length, received.Count);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal("1", received[i].Version);
            Assert.Contains($"idempotencyKey=\"{IdempotencyKey.Compute(TestRecords.Tenant, SyslogExpectations.Source, records[i].Key)}\"",
                received[i].StructuredData, StringComparison.Ordinal);
            SyslogExpectations.AssertCefMessage(received[i].Raw, TestRecords.Tenant, records[i]);
        }
    }

    [Fact]
    public async Task A_collector_whose_certificate_is_not_trusted_is_a_sink_fault_not_an_outage()
    {
        var options = TlsOptions(trustedCertificates: null);
        options.MaxRetryAttempts = 0;
        using var sink = new SyslogRecordSink("untrusted", options, TimeProvider.System);

        var fault = await Assert.ThrowsAsync<SinkFaultException>(() =>
            sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, SyslogExpectations.Alerts(1, "u"), CancellationToken.None));

        Assert.False(fault.IsTransient);
        Assert.Contains("TLS", fault.Message, StringComparison.Ordinal);
        Assert.Empty(_rsyslog.ReadMessages());
    }

    private SyslogSinkOptions TlsOptions(string? trustedCertificates)
    {
        var options = SyslogExpectations.Options(_rsyslog.Port, SyslogFormat.Cef);
        options.Transport = SyslogTransport.Tls;
        options.ServerName = "localhost";
        options.TrustedCertificatesPath = trustedCertificates;
        return options;
    }
}
