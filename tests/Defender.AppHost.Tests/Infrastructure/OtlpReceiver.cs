using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Defender.AppHost.Tests.Infrastructure;

/// <summary>
/// A stand-in OpenTelemetry collector for OTLP over HTTP (<c>http/protobuf</c>) on loopback: it answers every export
/// with 200 and keeps what arrived. The test does not decode protobuf: strings such as a service instance id appear
/// in the payload as their UTF-8 bytes, which is all it needs to know who sent what.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();
    private readonly Task _serving;

    public OtlpReceiver()
    {
        Endpoint = new Uri($"http://127.0.0.1:{FreePort()}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>; exporters add <c>v1/logs</c>, <c>v1/traces</c>, <c>v1/metrics</c>.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<(string Path, byte[] Body)> Exports => _exports.ToArray();

    /// <summary>Whether an export to <paramref name="path"/> carried <paramref name="text"/> (UTF-8).</summary>
    public bool Received(string path, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return _exports.Any(export => export.Path == path && export.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _exports.Enqueue((context.Request.Url?.AbsolutePath ?? "", body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
