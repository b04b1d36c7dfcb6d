using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Grains.Polling;

/// <summary>A classified source failure: the health it implies, the error to show, and any wait the service asked for.</summary>
/// <param name="Permanent">Needs an operator although its health alone does not say so (a sink refusing the records).</param>
internal sealed record SourceFailure(TenantHealth Health, string Code, string Message, TimeSpan? RetryAfter = null, bool Permanent = false)
{
    /// <summary>Retried slowly: it will not heal by itself.</summary>
    public bool NeedsOperator => Permanent || PollSchedule.NeedsOperator(Health);

    public TenantError ToError(string? source, DateTimeOffset at) =>
        new() { Code = Code, Message = Message, Source = source, At = at };
}
