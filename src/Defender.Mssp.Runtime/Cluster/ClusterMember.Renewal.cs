namespace Defender.Mssp.Runtime.Cluster;

public sealed partial class ClusterMember
{
    /// <summary>
    /// Shortest pause between scheduling passes: renewals falling due within it are started together. Each pass looks
    /// at every owned lease, so at 10,000 tenants a pass every 250 ms (not every few milliseconds, as leases spread over
    /// the period fall due) keeps the scan off the hot path; a renewal a quarter second late is nothing to a 10 s period.
    /// </summary>
    private static readonly TimeSpan MinimumRenewalPause = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest pause between scheduling passes (at most a quarter period): how soon a new lease is looked at.</summary>
    private static readonly TimeSpan MaximumRenewalPause = TimeSpan.FromSeconds(1);

    /// <summary>A failed renewal (not a refusal) is retried this soon, not a whole period later.</summary>
    private TimeSpan RenewalRetryDelay => _options.LeaseRenewalPeriod / 4;

    /// <summary>A due renewal is not sent when the lease was renewed less than this ago (by another caller).</summary>
    private TimeSpan RecentRenewal => _options.LeaseRenewalPeriod / 2;

    /// <summary>
    /// Renews every held lease now, due or not, most urgent first, and waits for them all. Refusals end ownership;
    /// other failures are retried after <see cref="RenewalRetryDelay"/> by the loop. Tests drive this.
    /// </summary>
    internal Task<RenewalPass> RenewLeasesAsync(CancellationToken cancellationToken) =>
        RunRenewalPassAsync(dueOnly: false, cancellationToken);

    /// <summary>One pass of the renewal loop, awaited: renews the leases that are due, earliest deadline first.</summary>
    internal Task<RenewalPass> RenewDueLeasesAsync(CancellationToken cancellationToken) =>
        RunRenewalPassAsync(dueOnly: true, cancellationToken);

    /// <summary>
    /// The renewal loop: every pass starts the renewals that are due (earliest safety deadline first, at most
    /// <see cref="ClusterOptions.MaxConcurrentLeaseRenewals"/> in flight) without waiting for them to finish, then sleeps
    /// until the next one falls due. So each lease is renewed one period after its previous renewal started, however
    /// long the others take — a slow or stuck request holds one slot, not the whole round — and renewals stay spread
    /// over the period instead of coming in a burst.
    /// </summary>
    private async Task RunRenewalLoopAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentLeaseRenewals);
        var inFlight = new List<Task<LeaseRenewal?>>();
        var longestPause = TimeSpan.FromTicks(Math.Min(MaximumRenewalPause.Ticks, (_options.LeaseRenewalPeriod / 4).Ticks));
        try
        {
            while (true)
            {
                var pause = longestPause;
                try
                {
                    inFlight.RemoveAll(renewal => renewal.IsCompleted);
                    var next = await StartRenewalsAsync(dueOnly: true, slots, inFlight, cancellationToken).ConfigureAwait(false);
                    ReportRenewalBacklog();
                    if (next is { } untilNext)
                    {
                        pause = untilNext < MinimumRenewalPause ? MinimumRenewalPause : untilNext > longestPause ? longestPause : untilNext;
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    ClusterLog.LoopFailed(_logger, e, "renewal");
                }

                try
                {
                    await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        finally
        {
            // Each renewal observes its own failures; they end promptly once the token is cancelled.
            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }
    }

    private async Task<RenewalPass> RunRenewalPassAsync(bool dueOnly, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(_options.MaxConcurrentLeaseRenewals);
        var started = new List<Task<LeaseRenewal?>>();
        try
        {
            await StartRenewalsAsync(dueOnly, slots, started, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await Task.WhenAll(started).ConfigureAwait(false);
        }

        ReportRenewalBacklog();
        return RenewalPass.Of(started.ConvertAll(renewal => renewal.Result));
    }

    /// <summary>
    /// Starts the renewals of the held leases that are due (or all of them), most urgent first, waiting only for a
    /// free slot; a lease whose renewal is still in flight is left to it.
    /// </summary>
    /// <returns>How long until the next lease not started now falls due; null when none.</returns>
    private async Task<TimeSpan?> StartRenewalsAsync(
        bool dueOnly, SemaphoreSlim slots, List<Task<LeaseRenewal?>> started, CancellationToken cancellationToken)
    {
        var now = dueOnly ? _time.GetTimestamp() : long.MaxValue;
        var plan = RenewalPlanner.Plan(
            _owned.Values
                .Where(owned => owned.Lease.IsHeld && !owned.IsRenewing)
                .Select(owned => (Owned: owned, DueAt: owned.RenewalDueAt))
                // Only a due lease's deadline matters to the order; most are not due (10,000 leases, a pass every 250 ms).
                .Select(lease => new RenewalCandidate<OwnedTenant>(
                    lease.Owned, lease.DueAt, lease.DueAt <= now ? lease.Owned.Lease.Remaining : TimeSpan.MaxValue)),
            now, _time);
        var recent = dueOnly ? RecentRenewal : TimeSpan.Zero;
        foreach (var owned in plan.Due)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!owned.TryBeginRenewal())
            {
                slots.Release();
                continue;
            }

            started.Add(RenewOneAsync(owned, recent, slots, cancellationToken));
        }

        return plan.NextDueIn;
    }

    /// <summary>
    /// Renews one lease and schedules its next renewal: a period after this one started, or soon when it failed.
    /// Never throws.
    /// </summary>
    /// <returns>The outcome, or null when the renewal failed (or the silo is stopping).</returns>
    private async Task<LeaseRenewal?> RenewOneAsync(OwnedTenant owned, TimeSpan recent, SemaphoreSlim slot, CancellationToken cancellationToken)
    {
        var lease = owned.Lease;
        var lag = _time.GetElapsedTime(owned.RenewalDueAt);
        Interlocked.Increment(ref _renewalsInFlight);
        try
        {
            var outcome = await lease.RenewUnlessRecentAsync(recent, cancellationToken).ConfigureAwait(false);
            if (outcome == LeaseRenewal.NotHeld)
            {
                return outcome;
            }

            if (outcome == LeaseRenewal.Renewed)
            {
                RecordRenewalLag(lag);
            }

            owned.RenewalDueAt = RenewalPlanner.After(lease.RenewedAt, _options.LeaseRenewalPeriod, _time);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            RecordRenewalLag(lag);
            owned.RenewalDueAt = RenewalPlanner.After(_time.GetTimestamp(), RenewalRetryDelay, _time);
            ClusterLog.RenewalFailed(_logger, e, lease.TenantId, RenewalRetryDelay);
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _renewalsInFlight);
            owned.EndRenewal();
            slot.Release();
        }
    }

    /// <summary>A renewal forced before it was due has no lag.</summary>
    private void RecordRenewalLag(TimeSpan lag)
    {
        if (lag < TimeSpan.Zero)
        {
            lag = TimeSpan.Zero;
        }

        _metrics?.RenewalStarted(SiloId, lag, _renewalLag.Record(lag));
    }

    /// <summary>Warns, at most once per period, when renewals started late since the last warning.</summary>
    private void ReportRenewalBacklog()
    {
        if (_renewalLag.TakeReport() is { } backlog)
        {
            ClusterLog.RenewalsBehind(
                _logger, backlog.Late, _renewalLag.LateAfter, backlog.Window, backlog.WorstLag,
                _owned.Values.Count(owned => owned.Lease.IsHeld), Volatile.Read(ref _renewalsInFlight),
                _options.MaxConcurrentLeaseRenewals, _options.LeaseValidity - _options.LeaseRenewalPeriod);
        }
    }
}
