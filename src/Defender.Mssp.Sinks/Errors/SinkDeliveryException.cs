namespace Defender.Mssp.Sinks;

/// <summary>
/// A tenant's batch was not acknowledged by every sink of its set (or it has none), so the grain must not move its
/// checkpoint. Sinks that did acknowledge are listed; the batch goes to the others when the grain retries, and those
/// that already have it are skipped while this process remembers them (after a restart they get it again, with the
/// same idempotency keys). The message names sinks and their errors, never secrets.
/// </summary>
public sealed class SinkDeliveryException : Exception, IRecordSinkFailure
{
    public SinkDeliveryException(string tenantId, string source, int records, IReadOnlyList<SinkFailure> failures, IReadOnlyList<string> acknowledgedBy)
        : base(Describe(tenantId, source, records, failures, acknowledgedBy), Inner(failures))
    {
        TenantId = tenantId;
        RecordSource = source;
        Failures = failures;
        AcknowledgedBy = acknowledgedBy;
    }

    public string TenantId { get; }

    /// <summary>The record source of the batch (<c>Exception.Source</c> is the throwing assembly, as always).</summary>
    public string RecordSource { get; }

    /// <summary>The sinks that did not acknowledge, with why; empty when the tenant has no sinks at all.</summary>
    public IReadOnlyList<SinkFailure> Failures { get; }

    /// <summary>The names of the sinks that acknowledged the batch.</summary>
    public IReadOnlyList<string> AcknowledgedBy { get; }

    /// <summary>True when every failure may heal by itself; false when an operator has to act (status: needs operator).</summary>
    public bool IsTransient => Failures.Count > 0 && Failures.All(failure => failure.IsTransient);

    /// <summary>The longest wait a sink's destination asked for (HTTP <c>Retry-After</c>), if any did.</summary>
    public TimeSpan? RetryAfter => Failures.Select(failure => (failure.Exception as SinkUnavailableException)?.RetryAfter).Max();

    private static string Describe(string tenantId, string source, int records, IReadOnlyList<SinkFailure> failures, IReadOnlyList<string> acknowledgedBy) =>
        failures.Count == 0
            ? $"Tenant {tenantId} has no sinks: {records} records of source {source} cannot be delivered."
            : $"{failures.Count} of {failures.Count + acknowledgedBy.Count} sinks did not acknowledge {records} records of tenant {tenantId} source {source}: "
              + string.Join("; ", failures.Select(failure => $"'{failure.SinkName}' ({failure.SinkKind}): {failure.Exception.Message}"));

    private static Exception? Inner(IReadOnlyList<SinkFailure> failures) => failures.Count switch
    {
        0 => null,
        1 => failures[0].Exception,
        _ => new AggregateException(failures.Select(failure => failure.Exception)),
    };
}
