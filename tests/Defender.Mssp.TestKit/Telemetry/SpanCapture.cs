using System.Collections.Concurrent;
using System.Diagnostics;

namespace Defender.Mssp.TestKit.Telemetry;

/// <summary>
/// Starts a root span for one test and records every span of the <c>Defender.Mssp</c> source (and any other named
/// sources) that ends inside the root's trace — so tests running in parallel, each with its own root, never see each
/// other's spans. The root is the current activity from construction until disposal.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    public const string ProductSource = "Defender.Mssp";

    private static readonly ActivitySource TestSource = new("Defender.Mssp.Tests");

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public SpanCapture(params string[] sources)
    {
        var names = new HashSet<string>(sources.Append(ProductSource).Append(TestSource.Name), StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Root is { } root && activity.TraceId == root.TraceId && activity != root)
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        Root = TestSource.StartActivity("test", ActivityKind.Internal, default(ActivityContext))
            ?? throw new InvalidOperationException("The test's root span was not sampled.");
    }

    public Activity Root { get; }

    /// <summary>Ended spans of the root's trace, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => _spans.ToList();

    public IReadOnlyList<Activity> Named(string name) => _spans.Where(span => span.OperationName == name).ToList();

    /// <summary>The ended spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) => _spans.Where(span => span.ParentSpanId == parent.SpanId).ToList();

    public void Dispose()
    {
        Root.Dispose();
        _listener.Dispose();
    }
}
