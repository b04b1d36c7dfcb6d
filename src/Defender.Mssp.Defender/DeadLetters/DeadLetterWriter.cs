using System.Security.Cryptography;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Defender.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.DeadLetters;

/// <summary>
/// Hands a page's poison records to the <see cref="IDeadLetterSink"/>, once each: every poll re-reads its overlap, so
/// the same poison record comes back several times; those already written (by tenant, source and content hash,
/// within <see cref="DeadLetterOptions.RememberedRecords"/>) are skipped. After a restart one may be written again.
/// </summary>
internal sealed partial class DeadLetterWriter(
    IDeadLetterSink sink,
    IOptions<DeadLetterOptions> options,
    TimeProvider timeProvider,
    ILogger<DeadLetterWriter> logger,
    DefenderClientMetrics? metrics = null)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly int _capacity = options.Value.RememberedRecords;

    public async Task WriteAsync(string tenantId, string source, IReadOnlyList<PoisonRecord> poisons, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var fresh = new List<(string Key, DeadLetter Letter)>();
        lock (_gate)
        {
            foreach (var poison in poisons)
            {
                var key = $"{tenantId}\n{source}\n{Convert.ToHexString(SHA256.HashData(poison.Raw.Span))}";
                if (!_written.Contains(key) && fresh.TrueForAll(f => f.Key != key))
                {
                    fresh.Add((key, new DeadLetter(tenantId, source, poison.Reason, poison.Raw, now)));
                }
            }
        }

        if (fresh.Count == 0)
        {
            return;
        }

        // Written before the page's good records are handed on: if this throws, the page fails and is read again.
        await sink.WriteAsync([.. fresh.Select(f => f.Letter)], cancellationToken).ConfigureAwait(false);
        metrics?.DeadLettered(source, fresh.Count);
        foreach (var (_, letter) in fresh)
        {
            LogDeadLettered(tenantId, source, letter.Reason);
        }

        lock (_gate)
        {
            foreach (var (key, _) in fresh)
            {
                if (_capacity > 0 && _written.Add(key))
                {
                    _order.Enqueue(key);
                    if (_order.Count > _capacity)
                    {
                        _written.Remove(_order.Dequeue());
                    }
                }
            }
        }
    }

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning,
        Message = "{Source} record for tenant {TenantId} could not be parsed and was dead-lettered: {Reason}")]
    private partial void LogDeadLettered(string tenantId, string source, string reason);
}
