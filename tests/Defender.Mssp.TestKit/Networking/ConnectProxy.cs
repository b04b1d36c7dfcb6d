using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Defender.Mssp.TestKit.Networking;

/// <summary>
/// A small forward proxy on 127.0.0.1 for tests: it answers <c>CONNECT host:port</c> by dialling the target (or
/// where <see cref="ConnectProxyOptions.Route"/> sends it) and piping bytes both ways, as corporate proxies do for
/// HTTPS. Every request is logged in <see cref="Requests"/>: CONNECT targets, refusals (407 without the right Basic
/// credentials, 405 for anything but CONNECT, 502 when the dial fails). Bounded (at most
/// <see cref="ConnectProxyOptions.MaxConnections"/> at once; more are refused with 503) and stoppable.
/// </summary>
public sealed class ConnectProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;

    private readonly ConnectProxyOptions _options;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<ProxyRequest> _requests = new();
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly SemaphoreSlim _slots;
    private readonly Task _acceptLoop;
    private int _nextConnection;

    private ConnectProxy(ConnectProxyOptions options)
    {
        _options = options;
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    /// <summary>The proxy's URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Every request the proxy answered, in order.</summary>
    public IReadOnlyList<ProxyRequest> Requests => [.. _requests];

    /// <summary>The <c>host:port</c> of every CONNECT that opened a tunnel.</summary>
    public IReadOnlyList<string> Tunnels => [.. _requests.Where(r => r.Status == 200).Select(r => r.Target)];

    public static ConnectProxy Start(ConnectProxyOptions? options = null) => new(options ?? new ConnectProxyOptions());

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
        _slots.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var id = Interlocked.Increment(ref _nextConnection);
            _connections[id] = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client).ConfigureAwait(false);
                }
                finally
                {
                    _connections.TryRemove(id, out _);
                }
            });
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using var owned = client;
        await using var stream = new NetworkStream(client, ownsSocket: false);
        if (!await _slots.WaitAsync(0).ConfigureAwait(false))
        {
            Log("?", "?", 503, false);
            await RespondAsync(stream, "503 Service Unavailable", close: true).ConfigureAwait(false);
            return;
        }

        try
        {
            // A client that answers a 407 on the same connection sends its next request here.
            while (!_stopping.IsCancellationRequested)
            {
                var head = await ReadHeadAsync(stream).ConfigureAwait(false);
                if (head is null)
                {
                    return;
                }

                var (method, target, headers, leftover) = head.Value;
                var authorized = _options.Credentials is null || Authorized(headers);
                if (!string.Equals(method, "CONNECT", StringComparison.OrdinalIgnoreCase))
                {
                    Log(method, target, 405, authorized);
                    await RespondAsync(stream, "405 Method Not Allowed", close: true).ConfigureAwait(false);
                    return;
                }

                if (!authorized)
                {
                    Log(method, target, 407, false);
                    await RespondAsync(stream, "407 Proxy Authentication Required", close: false,
                        "Proxy-Authenticate: Basic realm=\"test proxy\"").ConfigureAwait(false);
                    continue;
                }

                await TunnelAsync(stream, target, leftover).ConfigureAwait(false);
                return;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A client or target that went away, or the proxy stopping: the tunnel simply ends.
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task TunnelAsync(NetworkStream client, string target, byte[] leftover)
    {
        if (!TrySplit(target, out var host, out var port))
        {
            Log("CONNECT", target, 400, true);
            await RespondAsync(client, "400 Bad Request", close: true).ConfigureAwait(false);
            return;
        }

        var (dialHost, dialPort) = _options.Route?.Invoke(host, port) ?? (host, port);
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(dialHost, dialPort, _stopping.Token).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            Log("CONNECT", target, 502, true);
            await RespondAsync(client, "502 Bad Gateway", close: true).ConfigureAwait(false);
            return;
        }

        Log("CONNECT", target, 200, true);
        await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stopping.Token).ConfigureAwait(false);
        await using var server = new NetworkStream(upstream, ownsSocket: false);
        if (leftover.Length > 0)
        {
            await server.WriteAsync(leftover, _stopping.Token).ConfigureAwait(false);
        }

        using var tunnel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var up = PipeAsync(client, server, upstream, tunnel.Token);
        var down = PipeAsync(server, client, null, tunnel.Token);
        await Task.WhenAny(up, down).ConfigureAwait(false);
        // One side finished: give the other a moment to drain, then end both.
        await Task.WhenAny(Task.WhenAll(up, down), Task.Delay(TimeSpan.FromSeconds(5), _stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default))
            .ConfigureAwait(false);
        await tunnel.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    private static async Task PipeAsync(Stream from, Stream to, Socket? halfClose, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
            halfClose?.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side closed or the tunnel is being torn down.
        }
    }

    private bool Authorized(IReadOnlyDictionary<string, string> headers)
    {
        if (!headers.TryGetValue("proxy-authorization", out var value) || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var presented = Encoding.UTF8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
            var expected = $"{_options.Credentials!.UserName}:{_options.Credentials.Password}";
            return string.Equals(presented, expected, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Reads up to the blank line that ends a request head; null when the client closed first.</summary>
    private async Task<(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Leftover)?> ReadHeadAsync(Stream stream)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (true)
        {
            var end = IndexOfBlankLine(buffer.AsSpan(0, length));
            if (end >= 0)
            {
                var text = Encoding.ASCII.GetString(buffer, 0, end);
                var lines = text.Split("\r\n");
                var parts = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                    }
                }

                return (parts.ElementAtOrDefault(0) ?? "", parts.ElementAtOrDefault(1) ?? "", headers, buffer[(end + 4)..length]);
            }

            if (length == buffer.Length)
            {
                return null;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), _stopping.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
        }
    }

    private static int IndexOfBlankLine(ReadOnlySpan<byte> data) => data.IndexOf("\r\n\r\n"u8);

    private async Task RespondAsync(Stream stream, string status, bool close, params string[] headers)
    {
        var text = new StringBuilder($"HTTP/1.1 {status}\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("Content-Length: 0\r\n");
        if (close)
        {
            text.Append("Connection: close\r\n");
        }

        text.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), _stopping.Token).ConfigureAwait(false);
    }

    private static bool TrySplit(string target, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return false;
        }

        host = target[..colon].Trim('[', ']');
        return host.Length > 0;
    }

    private void Log(string method, string target, int status, bool authorized) =>
        _requests.Enqueue(new ProxyRequest(DateTimeOffset.UtcNow, method, target, status, authorized));
}

/// <summary>How a <see cref="ConnectProxy"/> behaves.</summary>
public sealed record ConnectProxyOptions
{
    /// <summary>Tunnels open at once; further connections are answered 503.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>When set, CONNECT needs <c>Proxy-Authorization: Basic</c> with these; otherwise 407.</summary>
    public NetworkCredential? Credentials { get; init; }

    /// <summary>
    /// Where to dial a CONNECT target (host, port); null or returning null: the target itself. Lets a test give the
    /// product host names only the proxy can resolve, so any request that bypassed the proxy would fail.
    /// </summary>
    public Func<string, int, (string Host, int Port)?>? Route { get; init; }
}

/// <summary>One request the proxy answered: CONNECT target (host:port) or the other method's target, and its status.</summary>
public sealed record ProxyRequest(DateTimeOffset Time, string Method, string Target, int Status, bool Authorized);
