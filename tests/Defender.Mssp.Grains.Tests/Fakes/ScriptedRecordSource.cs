using System.Runtime.CompilerServices;
using System.Text;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Grains.Tests.Fakes;

/// <summary>
/// A Defender API stand-in driven by a test's clock. Each published record version has a time at which it becomes
/// visible, so late arrival is modelled; like the incidents API it serves each record's newest visible version whose
/// time is at or after the window's start (no upper bound, newest first), so the grain must ignore what is beyond.
/// </summary>
internal sealed class ScriptedRecordSource(string name, TimeProvider clock) : IRecordSource
{
    private readonly Lock _gate = new();
    private readonly List<Version> _versions = [];
    private readonly Queue<Exception> _failures = new();

    public string Name => name;

    /// <summary>Windows requested, in order.</summary>
    public List<RecordWindow> Windows { get; } = [];

    /// <summary>The window of the latest read started.</summary>
    public RecordWindow? LastWindow
    {
        get
        {
            lock (_gate)
            {
                return Windows.Count > 0 ? Windows[^1] : null;
            }
        }
    }

    public int Reads
    {
        get
        {
            lock (_gate)
            {
                return Windows.Count;
            }
        }
    }

    /// <summary>How many records the reader took from each read before it finished or stopped, in order of the reads.</summary>
    public List<int> Consumed { get; } = [];

    /// <summary>Serve every published visible version, not only each id's newest (an API that repeats old versions).</summary>
    public bool ServeAllVersions { get; set; }

    /// <summary>
    /// Serve only versions before the window's end, in no time order (as the SIEM and incidents queries, whose windows
    /// the grain may read in slices); off by default, serving everything from the window's start on, newest first.
    /// </summary>
    public bool Bounded { get; set; }

    public bool BoundedByWindowEnd => Bounded;

    /// <summary>Thrown by every read while set.</summary>
    public Exception? FailAlways { get; set; }

    public DateTimeOffset? TokenExpiry { get; set; }

    /// <summary>Runs at the start of every read; may block or throw.</summary>
    public Func<RecordWindow, CancellationToken, Task>? OnRead { get; set; }

    public void Publish(string id, DateTimeOffset lastUpdateTime, DateTimeOffset? visibleAt = null)
    {
        lock (_gate)
        {
            _versions.Add(new Version(id, lastUpdateTime, visibleAt ?? lastUpdateTime));
        }
    }

    public void FailNextRead(Exception exception)
    {
        lock (_gate)
        {
            _failures.Enqueue(exception);
        }
    }

    public static DefenderRecord ToRecord(string id, DateTimeOffset lastUpdateTime) =>
        new(id, lastUpdateTime, Encoding.UTF8.GetBytes(
            $$"""{"id":"{{id}}","lastUpdateTime":"{{lastUpdateTime:O}}","title":"Suspicious sign-in \u2014 {{id}}","severity":"high"}"""));

    public async IAsyncEnumerable<DefenderRecord> ReadAsync(
        TenantSettings tenant, RecordWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Windows.Add(window);
        }

        if (OnRead is { } onRead)
        {
            await onRead(window, cancellationToken);
        }

        List<Version> served;
        lock (_gate)
        {
            if (FailAlways is { } always)
            {
                throw always;
            }

            if (_failures.TryDequeue(out var failure))
            {
                throw failure;
            }

            var now = clock.GetUtcNow();
            var visible = _versions.Where(version => version.VisibleAt <= now);
            if (!ServeAllVersions)
            {
                visible = visible.GroupBy(version => version.Id).Select(group => group.MaxBy(version => version.LastUpdateTime)!);
            }

            served = visible.Where(version => version.LastUpdateTime >= window.From)
                .OrderByDescending(version => version.LastUpdateTime).ToList();
            if (Bounded)
            {
                // Shuffled deterministically: the grain must not rely on the order of a read.
                served = served.Where(version => version.LastUpdateTime < window.To)
                    .OrderBy(version => string.Concat(version.Id.Reverse()), StringComparer.Ordinal).ToList();
            }
        }

        int index;
        lock (_gate)
        {
            index = Consumed.Count;
            Consumed.Add(0);
        }

        foreach (var version in served)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                Consumed[index]++;
            }

            yield return ToRecord(version.Id, version.LastUpdateTime);
        }
    }

    public DateTimeOffset? TokenExpiresOn(TenantSettings tenant) => TokenExpiry;

    private sealed record Version(string Id, DateTimeOffset LastUpdateTime, DateTimeOffset VisibleAt);
}
