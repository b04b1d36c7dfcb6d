using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Grains.Tests.Fakes;

/// <summary>
/// One tenant's world for a test: a manual clock, two scripted sources, a recording sink, scripted storage. Grains
/// made from it share the storage, so "restart" is building a second grain.
/// </summary>
internal sealed class GrainHarness
{
    public const string TenantId = "5b0c2f1e-8a1d-4c3b-9f6e-2d7a4e1b3c90";

    public ManualTimeProvider Clock { get; } = new();

    public ScriptedGrainStorage Storage { get; } = new();

    public RecordingSink Sink { get; } = new();

    /// <summary>The sink grains deliver to instead of <see cref="Sink"/> when set (a real fan-out shared by harnesses).</summary>
    public IRecordSink? SinkOverride { get; set; }

    public RecordingObserver Observer { get; } = new();

    /// <summary>The observers grains are given; <see cref="Observer"/> unless a test changes the list.</summary>
    public List<ITenantGrainObserver> Observers { get; }

    public ScriptedRecordSource Incidents { get; }

    public ScriptedRecordSource Siem { get; }

    public PollingOptions Options { get; } = new();

    public TenantSettings Settings { get; set; } = new()
    {
        TenantId = TenantId,
        ClientId = "0e6f4a5b-1c2d-4e3f-8a9b-7c6d5e4f3a2b",
        Sources = [DefenderSources.Incidents],
        PollInterval = TimeSpan.FromMinutes(1),
        InitialLookback = TimeSpan.FromHours(1),
    };

    /// <summary>The persistent state of the last grain created, to look at its in-memory copy.</summary>
    public PersistentState<TenantGrainState>? State { get; private set; }

    public GrainHarness()
    {
        Incidents = new ScriptedRecordSource(DefenderSources.Incidents, Clock);
        Siem = new ScriptedRecordSource(DefenderSources.Siem, Clock);
        Observers = [Observer];
    }

    public DateTimeOffset Now => Clock.GetUtcNow();

    public static string StateKey => $"state/{TenantId}.json";

    /// <summary>What storage holds now.</summary>
    public TenantGrainState? Saved => Storage.Peek<TenantGrainState>(StateKey);

    public SourceCheckpoint? SavedCheckpoint(string source = DefenderSources.Incidents) =>
        Saved?.Sources.GetValueOrDefault(source);

    /// <summary>The services of the last grain created.</summary>
    public TenantGrainServices? Services { get; private set; }

    public TenantGrain CreateGrain(string? siloId = "silo-a")
    {
        State = new PersistentState<TenantGrainState>(Storage, StateKey);
        var services = Services = new TenantGrainServices(
            [Incidents, Siem], SinkOverride ?? Sink, Microsoft.Extensions.Options.Options.Create(Options), Clock, observers: Observers)
        {
            Random = new Random(1234),
        };
        return new TenantGrain(Settings, State, services, siloId);
    }

    public async Task<TenantGrain> ActivateAsync(string? siloId = "silo-a")
    {
        var grain = CreateGrain(siloId);
        await grain.ActivateAsync(CancellationToken.None);
        return grain;
    }
}
