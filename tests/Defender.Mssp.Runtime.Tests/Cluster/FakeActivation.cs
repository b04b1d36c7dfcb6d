using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// A grain stand-in that behaves as the contract asks: it reads its state on activation, saves it (ETag and lease id)
/// when stopped gracefully, aborts without saving when its ownership is lost, and can be made to end by itself.
/// </summary>
internal sealed class FakeActivation : IGrainActivation
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActivationLedger _ledger;
    private readonly Lock _gate = new();
    private readonly List<TenantSettings> _updates = [];

    public FakeActivation(string siloId, TenantSettings settings, ITenantOwnership ownership, IGrainStorage storage, ActivationLedger ledger)
    {
        SiloId = siloId;
        Settings = settings;
        Ownership = ownership;
        _ledger = ledger;
        State = new PersistentState<ProbeState>(storage, settings.TenantId, () => ownership.LeaseId);
    }

    public string SiloId { get; }

    public string TenantId => Settings.TenantId;

    public TenantSettings Settings { get; private set; }

    public ITenantOwnership Ownership { get; }

    public PersistentState<ProbeState> State { get; }

    /// <summary>"stopped" (graceful, state saved), "aborted" (ownership lost), "failed" (ended by itself).</summary>
    public string? EndedAs { get; private set; }

    public IReadOnlyList<TenantSettings> Updates
    {
        get
        {
            lock (_gate)
            {
                return _updates.ToList();
            }
        }
    }

    public Task Completion => _completion.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await State.ReadStateAsync(cancellationToken);
        _ledger.Started(this);
        Ownership.Lost.Register(() => End("aborted", null));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Completion.IsCompleted)
        {
            return;
        }

        State.State.SavedBy = SiloId;
        State.State.Saves++;
        try
        {
            await State.WriteStateAsync(cancellationToken);
            End("stopped", null);
        }
        catch (Exception e) when (e is LeaseLostException or InconsistentStateException)
        {
            End("fenced", e);
        }
    }

    public void UpdateSettings(TenantSettings settings)
    {
        lock (_gate)
        {
            _updates.Add(settings);
            Settings = settings;
        }
    }

    /// <summary>Ends the activation by itself, as a grain whose loop threw.</summary>
    public void Fail(Exception exception) => End("failed", exception);

    private void End(string how, Exception? exception)
    {
        lock (_gate)
        {
            if (EndedAs is not null)
            {
                return;
            }

            EndedAs = how;
        }

        _ledger.Ended(this);
        if (exception is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(exception);
        }
    }
}
