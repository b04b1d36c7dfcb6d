using Defender.Mssp.Grains;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// Keeps one tenant's grain alive in this silo: activates it (reading its state), runs its poll loop, and when the
/// grain stops because storage says its copy is stale or it is no longer the owner, activates a fresh one from
/// storage after a delay — never writing from the stale copy.
/// </summary>
internal sealed partial class GrainActivation(
    TenantSettings settings, IGrainStorage storage, TenantGrainServices services, SiloOptions silo, ILogger logger)
{
    private TenantGrain? _grain;

    public string TenantId => settings.TenantId;

    public TenantGrain? Grain => _grain;

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var grain = new TenantGrain(
                settings, new PersistentState<TenantGrainState>(storage, settings.TenantId), services, silo.SiloId);
            _grain = grain;
            try
            {
                await grain.ActivateAsync(stopping).ConfigureAwait(false);
                await grain.RunAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception) when (exception is InconsistentStateException or LeaseLostException)
            {
                LogOwnershipLost(logger, exception, TenantId);
            }
            catch (Exception exception)
            {
                LogGrainFailed(logger, exception, TenantId);
            }
            finally
            {
                // Graceful stop saves what the last turns did not; a fenced grain writes nothing.
                using var deactivation = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await grain.DeactivateAsync(deactivation.Token).ConfigureAwait(false);
            }

            await Task.Delay(silo.ReactivationDelay, services.TimeProvider, stopping)
                .ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grain of tenant {TenantId} stopped: its stored state changed under it; reactivating from storage")]
    private static partial void LogOwnershipLost(ILogger logger, Exception exception, string tenantId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grain of tenant {TenantId} failed; reactivating")]
    private static partial void LogGrainFailed(ILogger logger, Exception exception, string tenantId);
}
