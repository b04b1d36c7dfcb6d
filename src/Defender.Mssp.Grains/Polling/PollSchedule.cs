namespace Defender.Mssp.Grains.Polling;

/// <summary>
/// The randomised delays of a tenant's poll loop. Randomness spreads thousands of tenants over time, so they neither
/// start together after a silo restart nor retry together after a shared outage.
/// </summary>
internal sealed class PollSchedule(PollingOptions options, Random random)
{
    private const int MaxDoublings = 30;

    // A seeded Random is not thread-safe; the loop and a direct turn may both ask for a delay.
    private readonly Lock _gate = new();

    /// <summary>A uniform offset in [0, interval) for an activation's first poll.</summary>
    public TimeSpan FirstPollDelay(TimeSpan interval) => interval * NextDouble();

    /// <summary>The interval varied by up to ± <see cref="PollingOptions.Jitter"/>.</summary>
    public TimeSpan NextPollDelay(TimeSpan interval) => interval * (1 + options.Jitter * (2 * NextDouble() - 1));

    /// <summary>
    /// Exponential backoff after <paramref name="consecutiveFailures"/> failures: the initial backoff doubled per
    /// further failure, capped, then shortened by up to the jitter fraction (so the cap is never exceeded).
    /// </summary>
    public TimeSpan FailureBackoff(int consecutiveFailures) => Backoff(consecutiveFailures, options.InitialFailureBackoff);

    /// <summary>
    /// As <see cref="FailureBackoff(int)"/>, but a failure only an operator can fix (<see cref="NeedsOperator"/>)
    /// starts from <see cref="PollingOptions.OperatorFailureInitialBackoff"/>: retrying a revoked consent or a wrong
    /// secret every 30 s only fills the logs and the token endpoint's counters.
    /// </summary>
    public TimeSpan FailureBackoff(int consecutiveFailures, State.TenantHealth health) =>
        FailureBackoff(consecutiveFailures, NeedsOperator(health));

    /// <summary>As <see cref="FailureBackoff(int, State.TenantHealth)"/>, for a failure already known to need an operator or not.</summary>
    public TimeSpan FailureBackoff(int consecutiveFailures, bool needsOperator) =>
        Backoff(consecutiveFailures, needsOperator
            ? TimeSpan.FromTicks(Math.Max(options.OperatorFailureInitialBackoff.Ticks, options.InitialFailureBackoff.Ticks))
            : options.InitialFailureBackoff);

    /// <summary>Healths that do not heal by themselves: credentials, consent, a missing tenant, a 403.</summary>
    public static bool NeedsOperator(State.TenantHealth health) => health is State.TenantHealth.AuthFailed
        or State.TenantHealth.ConsentMissing or State.TenantHealth.TenantNotFound or State.TenantHealth.NeedsOperator;

    private TimeSpan Backoff(int consecutiveFailures, TimeSpan initial)
    {
        var doublings = Math.Clamp(consecutiveFailures - 1, 0, MaxDoublings);
        var ticks = Math.Min(initial.Ticks * Math.Pow(2, doublings), options.MaxFailureBackoff.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 - options.Jitter * NextDouble())));
    }

    private double NextDouble()
    {
        lock (_gate)
        {
            return random.NextDouble();
        }
    }
}
