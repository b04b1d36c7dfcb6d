using System.Collections.Concurrent;

namespace Defender.Mssp.Api.Tests.Infrastructure;

/// <summary>Keeps every response's status line, headers and body as text, for the secret-leak checks.</summary>
public sealed class RecordingHandler(ConcurrentQueue<string> responses) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = string.Join("\n", response.Headers.Concat(response.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Select(header => $"{header.Key}: {string.Join(",", header.Value)}"));
        responses.Enqueue($"{request.Method} {request.RequestUri} -> {(int)response.StatusCode}\n{headers}\n{body}");
        return response;
    }
}
