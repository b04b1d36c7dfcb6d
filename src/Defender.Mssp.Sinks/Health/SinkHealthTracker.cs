using Defender.Mssp.Sinks.Telemetry;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Keeps <see cref="ISinkHealth"/> from the outcomes <see cref="FanOutRecordSink"/> reports, and feeds the
/// <c>defender.sink.failures</c> counter and the <c>defender.sink.healthy</c> gauge.
/// </summary>
public sealed class SinkHealthTracker : ISinkHealth
{
    private readonly TimeProvider _time;
    private readonly SinkMetrics? _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SinkState> _sinks = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string TenantId, string Sink), TenantSinkStatus> _failing = new(TenantSinkComparer.Instance);

    public SinkHealthTracker(TimeProvider timeProvider, SinkMetrics? metrics = null)
    {
        _time = timeProvider;
        _metrics = metrics;
        metrics?.ObserveHealth(GetSinks);
    }

    public IReadOnlyList<SinkStatus> GetSinks()
    {
        lock (_gate)
        {
            return _sinks.Values.OrderBy(sink => sink.Name, StringComparer.Ordinal).Select(sink =>
            {
                var failing = _failing.Keys.Count(key => string.Equals(key.Sink, sink.Name, StringComparison.OrdinalIgnoreCase));
                return new SinkStatus(sink.Name, sink.Kind, failing == 0, failing, sink.LastSuccessAt, sink.LastFailureAt, sink.LastError);
            }).ToList();
        }
    }

    public IReadOnlyList<TenantSinkStatus> GetFailingSinks(string tenantId)
    {
        lock (_gate)
        {
            return _failing.Values.Where(status => string.Equals(status.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
                .OrderBy(status => status.SinkName, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The sink acknowledged a delivery of the tenant's.</summary>
    public void Succeeded(string tenantId, SinkDefinition sink)
    {
        lock (_gate)
        {
            State(sink).LastSuccessAt = _time.GetUtcNow();
            _failing.Remove((tenantId, sink.Name));
        }
    }

    /// <summary>The sink did not acknowledge a delivery of the tenant's.</summary>
    public void Failed(string tenantId, SinkDefinition sink, Exception exception)
    {
        var now = _time.GetUtcNow();
        var message = exception.Message;
        lock (_gate)
        {
            var state = State(sink);
            state.LastFailureAt = now;
            state.LastError = message;
            _failing[(tenantId, sink.Name)] = _failing.TryGetValue((tenantId, sink.Name), out var previous)
                ? previous with { ConsecutiveFailures = previous.ConsecutiveFailures + 1, LastFailureAt = now, LastError = message, IsTransient = SinkFailure.IsTransientFailure(exception) }
                : new TenantSinkStatus(tenantId, sink.Name, sink.Kind, 1, now, now, message, SinkFailure.IsTransientFailure(exception));
        }

        _metrics?.DeliveryFailed(sink.Name, sink.Kind, exception);
    }

    /// <summary>Forgets failures of sinks no longer in the tenant's set, so a removed sink cannot keep it failing.</summary>
    public void Retain(string tenantId, IEnumerable<string> sinkNames)
    {
        var current = sinkNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var key in _failing.Keys.Where(key => string.Equals(key.TenantId, tenantId, StringComparison.OrdinalIgnoreCase) && !current.Contains(key.Sink)).ToList())
            {
                _failing.Remove(key);
            }
        }
    }

    /// <summary>Forgets a tenant entirely (deleted, or moved to another silo).</summary>
    public void Forget(string tenantId) => Retain(tenantId, []);

    private SinkState State(SinkDefinition sink)
    {
        if (!_sinks.TryGetValue(sink.Name, out var state))
        {
            state = new SinkState(sink.Name, sink.Kind);
            _sinks[sink.Name] = state;
        }

        return state;
    }

    private sealed class SinkState(string name, string kind)
    {
        public string Name { get; } = name;

        public string Kind { get; } = kind;

        public DateTimeOffset? LastSuccessAt { get; set; }

        public DateTimeOffset? LastFailureAt { get; set; }

        public string? LastError { get; set; }
    }

    private sealed class TenantSinkComparer : IEqualityComparer<(string TenantId, string Sink)>
    {
        public static readonly TenantSinkComparer Instance = new();

        public bool Equals((string TenantId, string Sink) x, (string TenantId, string Sink) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.TenantId, y.TenantId) && StringComparer.OrdinalIgnoreCase.Equals(x.Sink, y.Sink);

        public int GetHashCode((string TenantId, string Sink) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.TenantId), StringComparer.OrdinalIgnoreCase.GetHashCode(key.Sink));
    }
}
