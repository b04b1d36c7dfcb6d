using System.Net;
using System.Net.Sockets;

namespace Defender.Mssp.TestKit;

/// <summary>
/// Another loopback address (127.0.0.2, 127.0.0.3, …: Linux routes all of 127/8 to the loopback interface) that
/// forwards every TCP connection to a server listening on 127.0.0.1. TLS passes through untouched, so the server
/// sees the alias in the Host header: a test can give each national cloud's hosts their own address and let the
/// simulator tell them apart, without DNS or a second server.
/// </summary>
public sealed class LoopbackAlias : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _pipes = [];

    private LoopbackAlias(IPAddress address, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        EndPoint = (IPEndPoint)_listener.LocalEndpoint;
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Where the alias listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The alias as an https base address, e.g. <c>https://127.0.0.3:40123</c>.</summary>
    public Uri HttpsBase => new($"https://{EndPoint.Address}:{EndPoint.Port}");

    /// <summary>Starts forwarding <c>127.0.0.{<paramref name="lastOctet"/>}</c> (any free port) to <paramref name="target"/>'s host and port.</summary>
    public static LoopbackAlias Start(byte lastOctet, Uri target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lastOctet, (byte)2);
        return new LoopbackAlias(new IPAddress([127, 0, 0, lastOctet]), new IPEndPoint(IPAddress.Parse(target.Host), target.Port));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] pipes;
        lock (_pipes)
        {
            pipes = [.. _pipes];
        }

        await Task.WhenAll(pipes).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_pipes)
            {
                _pipes.RemoveAll(task => task.IsCompleted);
                _pipes.Add(PipeAsync(client));
            }
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target, _stopping.Token).ConfigureAwait(false);
                var down = client.GetStream();
                var up = upstream.GetStream();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                var toServer = CopyAsync(down, up, upstream.Client, linked.Token);
                var toClient = CopyAsync(up, down, client.Client, linked.Token);
                await Task.WhenAny(toServer, toClient).ConfigureAwait(false);
                await linked.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(toServer, toClient).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // The connection ends either way; its client sees a closed socket, as with a real server.
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
