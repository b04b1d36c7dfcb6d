namespace Defender.Mssp.Runtime.Cluster;

public sealed partial class ClusterMember
{
    /// <summary>Balancing rounds wait the interval ± this fraction, so silos started together drift apart.</summary>
    private const double BalancingJitter = 0.2;

    internal void StartLoops()
    {
        var membership = _membershipLoops.Token;
        var renewal = _renewalLoop.Token;
        // Off the caller's context: StartAsync returns at once, and no loop runs on a host thread.
        _heartbeating = Task.Run(() => RunLoopAsync("heartbeat", () => _options.HeartbeatInterval, WriteHeartbeatAsync, membership));
        _renewing = Task.Run(() => RunRenewalLoopAsync(renewal));
        var first = true;
        _balancing = Task.Run(() => RunLoopAsync("balancing", () =>
        {
            // The first round comes soon after joining (a silo should not idle for a whole interval).
            var fraction = first ? _random.NextDouble() * BalancingJitter : 1 + (_random.NextDouble() * 2 - 1) * BalancingJitter;
            first = false;
            return _options.BalancingInterval * fraction;
        }, ct => RunBalancingRoundAsync(ct), membership));
    }

    private async Task RunLoopAsync(string name, Func<TimeSpan> delay, Func<CancellationToken, Task> iteration, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay(), _time, cancellationToken).ConfigureAwait(false);
                await iteration(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ClusterLog.LoopFailed(_logger, e, name);
            }
        }
    }
}
