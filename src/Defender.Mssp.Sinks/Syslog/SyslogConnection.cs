using System.Net.Security;
using System.Net.Sockets;

namespace Defender.Mssp.Sinks.Syslog;

/// <summary>
/// The sink's one connection to the collector, opened on first use and again after any failure. Not thread-safe: the
/// sink serialises its use.
/// </summary>
internal sealed class SyslogConnection(SyslogSinkOptions options, TrustAnchors trust) : IDisposable
{
    private TcpClient? _client;
    private Stream? _stream;

    /// <summary>Writes and flushes <paramref name="bytes"/>, connecting first when there is no live connection.</summary>
    /// <remarks>Any failure closes the connection: after a partial write the stream's framing cannot be trusted.</remarks>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await ConnectedStreamAsync(cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public void Dispose() => Close();

    private async Task<Stream> ConnectedStreamAsync(CancellationToken cancellationToken)
    {
        if (_stream is not null && _client is not null && !PeerClosed(_client.Client))
        {
            return _stream;
        }

        Close();
        _client = new TcpClient { NoDelay = true };
        await _client.ConnectAsync(options.Host!, options.EffectivePort, cancellationToken).ConfigureAwait(false);
        Stream stream = _client.GetStream();
        if (options.Transport == SyslogTransport.Tls)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = options.ServerName ?? options.Host!,
                RemoteCertificateValidationCallback = trust.Callback,
            }, cancellationToken).ConfigureAwait(false);
            stream = tls;
        }

        _stream = stream;
        return stream;
    }

    /// <summary>
    /// A collector that closed its end (restarted, idle timeout) leaves a socket that still accepts the next write into
    /// the kernel's buffer — and loses it. Readable with nothing to read means the peer's FIN has arrived.
    /// </summary>
    private static bool PeerClosed(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private void Close()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
    }
}
