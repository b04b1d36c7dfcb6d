using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Sinks.Tests.Syslog;

/// <summary>
/// Syslog over TLS (RFC 5425). Debian's rsyslog ships its TLS driver (lmnsd_gtls) in a separate package, rsyslog-gnutls,
/// which CI does not install; so the collector here is an in-test TLS listener on loopback with the test certificate,
/// reading RFC 6587 octet-counted frames as RFC 5425 prescribes.
/// </summary>
public sealed class SyslogTlsTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "syslog-tls-" + Guid.NewGuid().ToString("N"));
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    private string AnchorsPath => Path.Combine(_folder, "anchors.pem");

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        TestCertificates.WritePublicPem(TestCertificates.Server, AnchorsPath);
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _listener.Stop();
        _listener.Dispose();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Over_TLS_every_record_arrives_octet_counted_with_its_CEF_body_and_idempotency_key()
    {
        var records = SyslogExpectations.Alerts(20, "t");
        var options = SyslogExpectations.Options(Port, SyslogFormat.Cef);
        options.Transport = SyslogTransport.Tls;
        options.ServerName = "localhost";
        options.TrustedCertificatesPath = AnchorsPath;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var collector = CollectAsync(records.Length, timeout.Token);
        using var sink = new SyslogRecordSink("tls", options, TimeProvider.System);

        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, records[..7], CancellationToken.None);
        await sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, records[7..], CancellationToken.None);
        var received = await collector;

        Assert.Equal(records.Length, received.Count);
        for (var i = 0; i < records.Length; i++)
        {
            SyslogExpectations.AssertCefMessage(received[i], TestRecords.Tenant, records[i]);
        }
    }

    [Fact]
    public async Task A_collector_whose_certificate_is_not_trusted_is_a_sink_fault_not_an_outage()
    {
        var options = SyslogExpectations.Options(Port, SyslogFormat.Cef);
        options.Transport = SyslogTransport.Tls;
        options.ServerName = "localhost";
        options.MaxRetryAttempts = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var collector = CollectAsync(1, timeout.Token);
        using var sink = new SyslogRecordSink("untrusted", options, TimeProvider.System);

        var fault = await Assert.ThrowsAsync<SinkFaultException>(() =>
            sink.DeliverAsync(TestRecords.Tenant, SyslogExpectations.Source, SyslogExpectations.Alerts(1, "u"), CancellationToken.None));

        Assert.False(fault.IsTransient);
        Assert.Contains("TLS", fault.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => collector);
    }

    /// <summary>Accepts one TLS connection and reads <paramref name="count"/> octet-counted messages from it.</summary>
    private async Task<List<string>> CollectAsync(int count, CancellationToken cancellationToken)
    {
        using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        await using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions { ServerCertificate = TestCertificates.Server }, cancellationToken);
        var messages = new List<string>();
        while (messages.Count < count)
        {
            var length = new StringBuilder();
            while (true)
            {
                var b = await ReadByteAsync(tls, cancellationToken);
                if (b == ' ')
                {
                    break;
                }

                Assert.InRange(b, '0', '9');
                length.Append((char)b);
            }

            var message = new byte[int.Parse(length.ToString(), CultureInfo.InvariantCulture)];
            await tls.ReadExactlyAsync(message, cancellationToken);
            messages.Add(Encoding.UTF8.GetString(message));
        }

        return messages;
    }

    private static async Task<int> ReadByteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var one = new byte[1];
        await stream.ReadExactlyAsync(one, cancellationToken);
        return one[0];
    }
}
