using System.Diagnostics;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Defender.Mssp.TestKit.Telemetry;

namespace Defender.Mssp.Grains.Tests.Telemetry;

/// <summary>The grain's spans: one per turn, with the sink deliveries and checkpoint saves beneath it.</summary>
public sealed class TenantGrainSpanTests : IDisposable
{
    private const string TenantId = GrainHarness.TenantId;

    private readonly GrainHarness _h = new();
    private readonly SpanCapture _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task A_poll_is_one_span_with_a_child_per_sink_batch_and_checkpoint_save_all_naming_the_tenant()
    {
        _h.Options.MaxBatchSize = 2;
        _h.Incidents.Publish("inc-1", _h.Now.AddMinutes(-30));
        _h.Incidents.Publish("inc-2", _h.Now.AddMinutes(-20));
        _h.Incidents.Publish("inc-3", _h.Now.AddMinutes(-10));
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var poll = Assert.Single(_spans.Named("defender.poll"));
        Assert.Equal(_spans.Root.SpanId, poll.ParentSpanId);
        Assert.Equal(TenantId, poll.GetTagItem("defender.tenant.id"));
        Assert.Equal("delivered", poll.GetTagItem("defender.poll.outcome"));
        Assert.Equal(3, poll.GetTagItem("defender.records.delivered"));
        Assert.NotEqual(ActivityStatusCode.Error, poll.Status);

        var deliveries = _spans.Named("defender.sink.deliver");
        Assert.Equal([2, 1], deliveries.Select(span => span.GetTagItem("defender.sink.batch.size")));
        Assert.All(deliveries, span =>
        {
            Assert.Equal(poll.SpanId, span.ParentSpanId);
            Assert.Equal(TenantId, span.GetTagItem("defender.tenant.id"));
            Assert.Equal(DefenderSources.Incidents, span.GetTagItem("defender.source"));
        });

        // One save after the first of two batches, one when the window is complete.
        var saves = _spans.Named("defender.checkpoint.save");
        Assert.Equal(2, saves.Count);
        Assert.All(saves, span =>
        {
            Assert.Equal(poll.SpanId, span.ParentSpanId);
            Assert.Equal(TenantId, span.GetTagItem("defender.tenant.id"));
        });
    }

    [Fact]
    public async Task Each_turn_of_the_loop_is_a_trace_of_its_own()
    {
        var tenantId = Guid.NewGuid().ToString("D");
        _h.Settings = _h.Settings with { TenantId = tenantId };
        var polled = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Defender.Mssp",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                if (span.OperationName == "defender.poll" && span.GetTagItem("defender.tenant.id") as string == tenantId)
                {
                    polled.TrySetResult(span);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var grain = await _h.ActivateAsync();
        using var stop = new CancellationTokenSource();
        var loop = grain.RunAsync(stop.Token);

        grain.RequestPollNow();
        var poll = await polled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(poll.Parent);
        Assert.NotEqual(_spans.Root.TraceId, poll.TraceId);
        await stop.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_sink_that_refuses_a_batch_marks_its_span_and_the_poll_failed()
    {
        _h.Incidents.Publish("inc-1", _h.Now.AddMinutes(-30));
        _h.Sink.BeforeAcknowledge = (_, _, _) => throw new IOException("disk full");
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var delivery = Assert.Single(_spans.Named("defender.sink.deliver"));
        Assert.Equal(ActivityStatusCode.Error, delivery.Status);
        Assert.Equal(typeof(IOException).FullName, delivery.GetTagItem("error.type"));
        var poll = Assert.Single(_spans.Named("defender.poll"));
        Assert.Equal(ActivityStatusCode.Error, poll.Status);
        Assert.Equal("failed", poll.GetTagItem("defender.poll.outcome"));
        Assert.Equal("sink_failing", poll.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Lost_ownership_ends_the_poll_span_with_the_error()
    {
        _h.Incidents.Publish("inc-1", _h.Now.AddMinutes(-30));
        var grain = await _h.ActivateAsync();
        _h.Storage.FailWrite = _ => new LeaseLostException(GrainHarness.StateKey, "lease lost");

        await Assert.ThrowsAsync<LeaseLostException>(() => grain.PollOnceAsync(CancellationToken.None));

        var save = Assert.Single(_spans.Named("defender.checkpoint.save"));
        Assert.Equal(ActivityStatusCode.Error, save.Status);
        var poll = Assert.Single(_spans.Named("defender.poll"));
        Assert.Equal(ActivityStatusCode.Error, poll.Status);
        Assert.Equal(typeof(LeaseLostException).FullName, poll.GetTagItem("error.type"));
    }
}
