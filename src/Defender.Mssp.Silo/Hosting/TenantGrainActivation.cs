using Defender.Mssp.Grains;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// One tenant grain running in this silo under the cluster's lease: its poll loop runs until the silo hands the
/// tenant over (<see cref="StopAsync"/>: the turn in progress finishes — or, past the stop timeout, is aborted
/// cleanly, nothing delivered left out of the checkpoint — and the state is saved under the lease), or the lease is lost (the turn is aborted mid-poll and
/// nothing more is delivered or written), or the grain stops by itself because storage fenced it.
/// </summary>
internal sealed partial class TenantGrainActivation : IGrainActivation
{
    private readonly TenantGrain _grain;
    private readonly ITenantOwnership _ownership;
    private readonly TimeSpan _stopTimeout;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    private TenantGrainActivation(TenantGrain grain, ITenantOwnership ownership, TimeSpan stopTimeout, ILogger logger)
    {
        _grain = grain;
        _ownership = ownership;
        _stopTimeout = stopTimeout;
        _logger = logger;
        Completion = Task.Run(RunAsync);
    }

    public Task Completion { get; }

    /// <summary>Activates <paramref name="grain"/> (reads its state) and starts its loop.</summary>
    public static async Task<TenantGrainActivation> StartAsync(
        TenantGrain grain, ITenantOwnership ownership, TimeSpan stopTimeout, ILogger logger, CancellationToken cancellationToken)
    {
        using var activating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, ownership.Lost);
        await grain.ActivateAsync(activating.Token).ConfigureAwait(false);
        return new TenantGrainActivation(grain, ownership, stopTimeout, logger);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The turn in progress finishes (or is aborted when the stop timeout fires), the loop stops, and the state is
        // saved under the lease, which is still held.
        await _grain.DeactivateAsync(finishTurnInProgress: true, cancellationToken).ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Completion reports how the grain ended; the cluster reads it there.
        }
    }

    public void UpdateSettings(TenantSettings settings) => _grain.UpdateSettings(settings);

    private async Task RunAsync()
    {
        using var running = CancellationTokenSource.CreateLinkedTokenSource(_ownership.Lost, _stopping.Token);
        try
        {
            await _grain.RunAsync(running.Token).ConfigureAwait(false);
        }
        finally
        {
            if (_ownership.Lost.IsCancellationRequested)
            {
                // Another silo may own the tenant now: this grain writes nothing more (storage would refuse anyway).
                LogAborted(_logger, _grain.TenantId);
            }
            else
            {
                // Ended by itself or stopped: save what the last turns did not (a fenced grain writes nothing).
                using var timeout = new CancellationTokenSource(_stopTimeout);
                try
                {
                    await _grain.DeactivateAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    LogDeactivationTimedOut(_logger, _grain.TenantId, _stopTimeout);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain of tenant {TenantId} did not deactivate within {Timeout}")]
    private static partial void LogDeactivationTimedOut(ILogger logger, string tenantId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain of tenant {TenantId} aborted: this silo lost its lease")]
    private static partial void LogAborted(ILogger logger, string tenantId);
}
