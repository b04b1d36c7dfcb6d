using Defender.Mssp.Grains.State;

namespace Defender.Mssp.Grains;

/// <summary>The result of one turn of a tenant grain over all its sources.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="Outcome">The turn's outcome, as persisted in <see cref="TenantGrainState.LastOutcome"/>.</param>
/// <param name="Health">The tenant's health after the turn.</param>
/// <param name="Sources">Per-source results, in the order the sources were polled.</param>
/// <param name="StartedAt">When the turn started, by the grain's clock.</param>
/// <param name="Duration">How long the turn took, by the grain's clock.</param>
/// <param name="StateWritten">Whether the turn ended by saving the state (empty polls usually do not).</param>
public sealed record TenantPollResult(
    string TenantId,
    PollOutcome Outcome,
    TenantHealth Health,
    IReadOnlyList<SourcePollResult> Sources,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    bool StateWritten)
{
    /// <summary>Record versions delivered in the turn, over all sources.</summary>
    public int Delivered => Sources.Sum(source => source.Delivered);
}
