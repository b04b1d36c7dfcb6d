using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.TestKit.Sinks;

/// <summary>
/// A loopback HTTP(S) collector for sink tests (Kestrel on 127.0.0.1, a free port): it records every request with its
/// headers and its body (gzip decoded), answers 200 by default, and can fail on demand — the next N requests with a
/// status (and Retry-After), hang them until the client gives up, or answer 503 to everything while it is "down".
/// </summary>
public sealed class LoopbackHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHttpRequest> _requests = new();
    private readonly ConcurrentQueue<Func<HttpContext, Task<Reply>>> _planned = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();
    private volatile bool _down;

    private LoopbackHttpReceiver(WebApplication app, Uri baseAddress, X509Certificate2? certificate)
    {
        _app = app;
        BaseAddress = baseAddress;
        Certificate = certificate;
    }

    /// <summary>The receiver's root, e.g. https://127.0.0.1:54321/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server certificate for HTTPS (trust it as an anchor), null for plain HTTP.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Every request so far, in arrival order, with the status it was answered.</summary>
    public IReadOnlyList<ReceivedHttpRequest> Requests => _requests.ToList();

    /// <summary>The requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedHttpRequest> Accepted => _requests.Where(request => request.Status is >= 200 and < 300).ToList();

    public static async Task<LoopbackHttpReceiver> StartAsync(X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        LoopbackHttpReceiver? receiver = null;
        app.Run(context => receiver!.HandleAsync(context));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver = new LoopbackHttpReceiver(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"), certificate);
        return receiver;
    }

    /// <summary>The next <paramref name="count"/> requests are answered <paramref name="statusCode"/>.</summary>
    public void Fail(int count, int statusCode, TimeSpan? retryAfter = null, string body = "")
    {
        for (var i = 0; i < count; i++)
        {
            _planned.Enqueue(_ => Task.FromResult(new Reply(statusCode, body, retryAfter)));
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer until the client gives up.</summary>
    public void Hang(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _planned.Enqueue(async context =>
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                throw new InvalidOperationException("Unreachable: an infinite delay ends only by cancellation.");
            });
        }
    }

    /// <summary>Answers 503 to every request until <see cref="Recover"/>.</summary>
    public void GoDown() => _down = true;

    public void Recover() => _down = false;

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task.WaitAsync(timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        var content = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
            : context.Request.Body;
        await content.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        // Recorded on arrival: a hung request counts as received even if the server never notices the client leave.
        var received = new ReceivedHttpRequest(context.Request.Method, context.Request.Path, headers, body.ToArray());
        Record(received);

        Reply reply;
        try
        {
            reply = _down ? new Reply(StatusCodes.Status503ServiceUnavailable, "", null)
                : _planned.TryDequeue(out var planned) ? await planned(context).ConfigureAwait(false)
                : new Reply(StatusCodes.Status200OK, """{"text":"Success","code":0}""", null);
        }
        catch (OperationCanceledException)
        {
            return; // The client gave up on a hung request: status stays 0.
        }

        // Before the answer goes out, so a client that got it always finds the status recorded.
        received.Status = reply.Status;
        if (reply.RetryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.StatusCode = reply.Status;
        await context.Response.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private void Record(ReceivedHttpRequest request)
    {
        List<TaskCompletionSource> satisfied;
        lock (_gate)
        {
            _requests.Enqueue(request);
            satisfied = _waiters.Where(waiter => _requests.Count >= waiter.Count).Select(waiter => waiter.Signal).ToList();
            _waiters.RemoveAll(waiter => satisfied.Contains(waiter.Signal));
        }

        foreach (var signal in satisfied)
        {
            signal.TrySetResult();
        }
    }
}

/// <summary>A request the receiver got: body decoded from gzip when it was compressed.</summary>
public sealed class ReceivedHttpRequest
{
    private int _status;

    public ReceivedHttpRequest(string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Path = path;
        Headers = headers;
        Body = body;
    }

    public string Method { get; }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    public byte[] Body { get; }

    /// <summary>The status it was answered with; 0 while it is being answered, or when it hung and was abandoned.</summary>
    public int Status { get => Volatile.Read(ref _status); internal set => Volatile.Write(ref _status, value); }

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

internal sealed record Reply(int Status, string Body, TimeSpan? RetryAfter);
