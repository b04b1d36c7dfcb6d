using System.Diagnostics;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks;
using Defender.Mssp.Storage;
using Names = Defender.Mssp.Grains.Telemetry.GrainTelemetryNames;

namespace Defender.Mssp.Grains.Telemetry;

/// <summary>
/// The grain's spans on the <c>Defender.Mssp</c> activity source: one <c>defender.poll</c> per turn, with a
/// <c>defender.sink.deliver</c> per batch and a <c>defender.checkpoint.save</c> per state write inside it (the Defender
/// clients add theirs for tokens and API pages). Without a listener nothing is allocated.
/// </summary>
internal static class TenantGrainActivities
{
    public static readonly ActivitySource Activities = new(Names.Product, typeof(TenantGrainActivities).Assembly.GetName().Version?.ToString());

    public static Activity? StartPoll(string tenantId) =>
        Activities.StartActivity(Names.PollSpan, ActivityKind.Internal, default(ActivityContext), [new(Names.TenantId, tenantId)]);

    /// <summary>What the turn came to. A turn in which a source failed is an error, so a trace search finds it.</summary>
    public static void Completed(Activity? activity, TenantPollResult result)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Names.PollOutcome, TelemetryEnumNames<PollOutcome>.Of(result.Outcome));
        activity.SetTag(Names.TenantHealth, TelemetryEnumNames<TenantHealth>.Of(result.Health));
        activity.SetTag(Names.RecordsDelivered, result.Delivered);
        activity.SetTag(Names.StateWritten, result.StateWritten);
        if (result.Outcome is PollOutcome.Failed or PollOutcome.PartiallyFailed)
        {
            activity.SetTag(Names.ErrorType, TelemetryEnumNames<TenantHealth>.Of(result.Health));
            activity.SetStatus(ActivityStatusCode.Error, "poll " + TelemetryEnumNames<PollOutcome>.Of(result.Outcome));
        }
    }

    /// <summary>Marks the span failed by <paramref name="exception"/>. Returns false, so it can sit in an exception filter.</summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetTag(Names.ErrorType, exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.AddException(exception);
        }

        return false;
    }

    /// <summary>Delivers one batch inside a <c>defender.sink.deliver</c> span.</summary>
    public static async Task DeliverTracedAsync(
        this IRecordSink sink, string tenantId, string source, IReadOnlyList<DefenderRecord> batch, CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity(Names.SinkDeliverSpan, ActivityKind.Internal, default(ActivityContext),
            [new(Names.TenantId, tenantId), new(Names.Source, source), new(Names.BatchSize, batch.Count)]);
        try
        {
            await sink.DeliverAsync(tenantId, source, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(activity, exception))
        {
            throw; // Never reached: the filter only records.
        }
    }

    /// <summary>Writes the grain's state (its checkpoints) inside a <c>defender.checkpoint.save</c> span.</summary>
    public static async Task WriteStateTracedAsync(
        this IPersistentState<TenantGrainState> state, string tenantId, CancellationToken cancellationToken)
    {
        using var activity = Activities.StartActivity(Names.CheckpointSaveSpan, ActivityKind.Internal, default(ActivityContext),
            [new(Names.TenantId, tenantId)]);
        try
        {
            await state.WriteStateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (Failed(activity, exception))
        {
            throw; // Never reached: the filter only records.
        }
    }
}
