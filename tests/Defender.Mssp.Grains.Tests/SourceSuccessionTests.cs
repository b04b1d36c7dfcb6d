using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Grains.Tests;

/// <summary>
/// Moving a tenant from <c>siem</c> to <c>graph-alerts</c> (and from <c>incidents</c> to <c>graph-incidents</c>) is a
/// configuration change: the successor's first window starts an overlap before the predecessor's watermark, not an
/// initial look-back before now. Turn by turn under a manual clock.
/// </summary>
public sealed class SourceSuccessionTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly GrainHarness _h = new();
    private readonly ScriptedRecordSource _graphAlerts;
    private readonly ScriptedRecordSource _graphIncidents;

    public SourceSuccessionTests()
    {
        _graphAlerts = new ScriptedRecordSource(DefenderSources.GraphAlerts, _h.Clock);
        _graphIncidents = new ScriptedRecordSource(DefenderSources.GraphIncidents, _h.Clock);
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Siem] };
    }

    [Fact]
    public async Task Moving_from_siem_to_graph_alerts_starts_at_the_siem_watermark_less_the_overlap()
    {
        var grain = await ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(10 * Minute);
        await grain.PollOnceAsync(CancellationToken.None);
        var watermark = _h.SavedCheckpoint(DefenderSources.Siem)!.Watermark!.Value;
        _graphAlerts.Publish("history", watermark - TimeSpan.FromMinutes(30));   // before the move: the SIEM had it
        _graphAlerts.Publish("boundary", watermark - TimeSpan.FromSeconds(10));  // in the overlap
        _graphAlerts.Publish("after", watermark + TimeSpan.FromSeconds(30));     // since the move

        grain.UpdateSettings(_h.Settings with { Sources = [DefenderSources.GraphAlerts] });
        _h.Clock.Advance(2 * Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal([new RecordWindow(watermark - _h.Options.Overlap, _h.Now - _h.Options.IngestionDelay)], _graphAlerts.Windows);
        Assert.Equal(["boundary", "after"], DeliveredIds(DefenderSources.GraphAlerts));
        Assert.Equal(_h.Now - _h.Options.IngestionDelay, _h.SavedCheckpoint(DefenderSources.GraphAlerts)!.Watermark);
        Assert.Equal(watermark, _h.SavedCheckpoint(DefenderSources.Siem)!.Watermark);   // kept, should the tenant move back
    }

    [Fact]
    public async Task A_restarted_grain_with_the_new_configuration_continues_from_the_saved_siem_checkpoint()
    {
        var grain = await ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        await grain.DeactivateAsync(CancellationToken.None);
        var watermark = _h.SavedCheckpoint(DefenderSources.Siem)!.Watermark!.Value;

        _h.Settings = _h.Settings with { Sources = [DefenderSources.GraphAlerts] };
        _h.Clock.Advance(30 * Minute);
        var restarted = await ActivateAsync();
        await restarted.PollOnceAsync(CancellationToken.None);

        Assert.Equal(watermark - _h.Options.Overlap, Assert.Single(_graphAlerts.Windows).From);
    }

    [Fact]
    public async Task A_tenant_configured_with_both_from_the_start_reads_the_initial_lookback_for_each()
    {
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Siem, DefenderSources.GraphAlerts] };
        var grain = await ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        var firstFrom = _h.Now - _h.Settings.InitialLookback - _h.Options.Overlap;
        Assert.Equal(firstFrom, Assert.Single(_h.Siem.Windows).From);
        Assert.Equal(firstFrom, Assert.Single(_graphAlerts.Windows).From);
    }

    [Fact]
    public async Task A_successor_that_was_polled_before_keeps_its_own_checkpoint()
    {
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Siem, DefenderSources.GraphAlerts] };
        var grain = await ActivateAsync();
        _graphAlerts.FailNextRead(new DefenderApiException(DefenderSources.GraphAlerts, 503, "unavailable"));
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Null(_h.SavedCheckpoint(DefenderSources.GraphAlerts)!.Watermark);

        grain.UpdateSettings(_h.Settings with { DisplayName = "renamed" });
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        await grain.PollOnceAsync(CancellationToken.None);

        // Its first read failed: the retry still reads the initial look-back, not from the SIEM's watermark.
        Assert.Equal(_h.Now - _h.Settings.InitialLookback - _h.Options.Overlap, _graphAlerts.Windows[^1].From);
    }

    [Fact]
    public async Task Moving_from_incidents_to_graph_incidents_continues_the_same_way()
    {
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Incidents] };
        var grain = await ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        var watermark = _h.SavedCheckpoint(DefenderSources.Incidents)!.Watermark!.Value;

        grain.UpdateSettings(_h.Settings with { Sources = [DefenderSources.GraphIncidents] });
        _h.Clock.Advance(Minute);
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(watermark - _h.Options.Overlap, Assert.Single(_graphIncidents.Windows).From);
    }

    [Fact]
    public void Only_a_never_polled_successor_with_a_predecessor_watermark_is_moved()
    {
        var watermark = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var fresh = new Dictionary<string, SourceCheckpoint> { [DefenderSources.Siem] = new() { Watermark = watermark } };
        var statusOnly = new Dictionary<string, SourceCheckpoint>
        {
            [DefenderSources.Siem] = new() { Watermark = watermark },
            [DefenderSources.GraphAlerts] = new() { Health = TenantHealth.Paused },
        };
        var noWatermark = new Dictionary<string, SourceCheckpoint> { [DefenderSources.Siem] = new() };

        Assert.Equal(DefenderSources.Siem, SourceSuccession.Continue(DefenderSources.GraphAlerts, fresh));
        Assert.Equal(watermark, fresh[DefenderSources.GraphAlerts].Watermark);
        Assert.Equal(DefenderSources.Siem, SourceSuccession.Continue(DefenderSources.GraphAlerts, statusOnly));
        Assert.Null(SourceSuccession.Continue(DefenderSources.GraphAlerts, noWatermark));
        Assert.Null(SourceSuccession.Continue(DefenderSources.Alerts, fresh));
        Assert.Null(SourceSuccession.Continue(DefenderSources.GraphAlerts, fresh));   // now it has its own
    }

    private async Task<TenantGrain> ActivateAsync()
    {
        var state = new PersistentState<TenantGrainState>(_h.Storage, GrainHarness.StateKey);
        var services = new TenantGrainServices(
            [_h.Incidents, _h.Siem, _graphAlerts, _graphIncidents], _h.Sink, Options.Create(_h.Options), _h.Clock)
        {
            Random = new Random(1234),
        };
        var grain = new TenantGrain(_h.Settings, state, services, "silo-a");
        await grain.ActivateAsync(CancellationToken.None);
        return grain;
    }

    private List<string> DeliveredIds(string source) =>
        [.. _h.Sink.Delivered.Where(b => b.Source == source).SelectMany(b => b.Records).Select(r => r.Id)];
}
