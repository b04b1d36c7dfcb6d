using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Defender.Mssp.Runtime.Development;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Counts the requests Azurite serves, from its access log (one line per request, <c>"PUT /devstoreaccount1/c/state/x.json?comp=lease HTTP/1.1" 201</c>),
/// which <see cref="AzuriteServer"/> hands to its logger line by line. Requests are grouped by method, the first
/// segment of the blob name (<c>state</c>, <c>leases</c>, <c>silos</c>, …) and the <c>comp</c> parameter, so the
/// report can tell state writes from lease renewals and heartbeats.
/// </summary>
internal sealed partial class AzuriteRequestCounter : ILogger<AzuriteServer>
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var line = formatter(state, exception);
        if (AccessLine().Match(line) is not { Success: true } match)
        {
            return;
        }

        _counts.AddOrUpdate(Category(match.Groups["method"].Value, match.Groups["url"].Value), 1, (_, n) => n + 1);
    }

    /// <summary>Requests counted between two snapshots, by category.</summary>
    public static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Count > 0)
            .ToDictionary(p => p.Key, p => p.Count, StringComparer.Ordinal);

    private static string Category(string method, string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        var query = q >= 0 ? url[(q + 1)..] : "";
        var path = q >= 0 ? url[..q] : url;
        // /devstoreaccount1/{container}/{blob}
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var area = segments.Length switch
        {
            <= 2 => "(container)",
            3 => "(root blob)",
            _ => segments[2],
        };
        var comp = query.Split('&').FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal)) is { } c ? " " + c : "";
        return $"{method} {area}{comp}";
    }

    [GeneratedRegex("\"(?<method>[A-Z]+) (?<url>\\S+) HTTP/[0-9.]+\" \\d{3}")]
    private static partial Regex AccessLine();
}
