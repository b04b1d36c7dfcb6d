using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Grains;

/// <summary>
/// What every tenant grain of a silo shares: the sources, the sink, the polling options, the clock, logging and
/// observers. One instance per silo (a DI singleton); a grain is <c>new TenantGrain(settings, state, services)</c>.
/// </summary>
public sealed class TenantGrainServices
{
    public TenantGrainServices(
        IEnumerable<IRecordSource> sources,
        IRecordSink sink,
        IOptions<PollingOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory? loggerFactory = null,
        IEnumerable<ITenantGrainObserver>? observers = null)
    {
        var byName = new Dictionary<string, IRecordSource>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (!byName.TryAdd(source.Name, source))
            {
                throw new ArgumentException($"Two record sources are registered as '{source.Name}'.", nameof(sources));
            }
        }

        Sources = byName;
        Sink = sink;
        Options = options.Value;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Observers = observers?.ToArray() ?? [];
        BacklogSlices = new SemaphoreSlim(Options.MaxConcurrentBacklogSlices, Options.MaxConcurrentBacklogSlices);
    }

    /// <summary>Record sources by <see cref="IRecordSource.Name"/>.</summary>
    public IReadOnlyDictionary<string, IRecordSource> Sources { get; }

    public IRecordSink Sink { get; }

    public PollingOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<ITenantGrainObserver> Observers { get; }

    /// <summary>
    /// Permits for the slices of a window after its first (a backlog), shared by every grain of the silo: how many such
    /// slices may be read or held at once (<see cref="PollingOptions.MaxConcurrentBacklogSlices"/>), so a hundred
    /// tenants working through backlogs together keep a bounded number of slices in memory, not a hundred.
    /// </summary>
    internal SemaphoreSlim BacklogSlices { get; }

    /// <summary>The randomness of schedules and backoff; tests may seed it.</summary>
    internal Random Random { get; init; } = Random.Shared;
}
