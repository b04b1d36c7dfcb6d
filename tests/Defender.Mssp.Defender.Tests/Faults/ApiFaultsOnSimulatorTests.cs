using Defender.Mssp.Grains;
using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Mssp.Defender.Tests.Faults;

/// <summary>
/// Issue 8's Defender API faults, injected by the simulator and met by a real tenant grain over HTTPS: the tenant
/// shows the fault while it lasts, retries with backoff, and afterwards has delivered every record once with its
/// checkpoint never past an undelivered one.
/// </summary>
public sealed class ApiFaultsOnSimulatorTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Fault name → (rule, whether the HTTP client retries it within the request).</summary>
    public static TheoryData<string> PersistentFaults => new()
    {
        "500", "502", "503", "504", "reset", "stall-mid-body", "truncated-json", "malformed-json", "empty-200", "page-without-value",
    };

    public static TheoryData<string> TransientFaults => new() { "500", "503", "reset", "stall-mid-body" };

    [Theory]
    [MemberData(nameof(PersistentFaults))]
    public async Task A_lasting_fault_leaves_the_tenant_faulted_with_its_checkpoint_and_loses_nothing_once_it_heals(string fault)
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        var first = await h.PollAsync();
        Assert.Equal(PollOutcome.Delivered, first.Outcome);
        var firstWindow = first.Sources[0].Window!.Value;
        var watermark = h.Checkpoint.Watermark;
        var delivered = h.Sink.Records.Count;
        h.Clock.Advance(5 * Minute);
        var callsBefore = (await h.StatsAsync()).Calls(DefenderSources.Incidents);

        await h.Admin.SetFaultsAsync(h.TenantId, [Rule(fault)]);
        var failed = await h.PollAsync();

        Assert.Equal(PollOutcome.Failed, failed.Outcome);
        Assert.Equal(TenantHealth.Faulted, h.Grain.Health);
        Assert.Equal(TenantHealth.Faulted, h.State.State.Health);
        Assert.NotNull(h.State.State.LastError);
        Assert.Equal(watermark, h.Checkpoint.Watermark);
        Assert.Equal(delivered, h.Sink.Records.Count);
        Assert.Equal(h.Now + h.Polling.InitialFailureBackoff, h.Checkpoint.RetryNotBefore);
        // A stalled request is counted once the simulator notices the client gave up on it.
        var attempts = RetriedByClient(fault) ? GrainOnSimulator.AttemptsPerPage : 1;
        Assert.Equal(attempts, await h.EventuallyAsync(
            async () => (await h.StatsAsync()).Calls(DefenderSources.Incidents) - callsBefore, calls => calls >= attempts));

        // Backing off: polls before the backoff has passed do not call the API.
        h.Clock.Advance(Minute / 4);
        Assert.Equal(PollOutcome.Deferred, (await h.PollAsync()).Outcome);

        await h.Admin.ClearFaultsAsync(h.TenantId);
        h.AdvancePastBackoff();
        var healed = await h.PollAsync();

        Assert.Equal(TenantHealth.Healthy, h.Grain.Health);
        Assert.True(h.Checkpoint.Watermark > watermark);
        var expected = await h.ReadDirectlyAsync(new RecordWindow(firstWindow.From, healed.Sources[0].Window!.Value.To));
        var keys = h.Sink.Keys;
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Superset(expected, keys.ToHashSet());
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_passing_fault_is_retried_by_the_client_within_the_poll(string fault)
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId, [Rule(fault) with { Remaining = 1 }]);

        var result = await h.PollAsync();

        Assert.Equal(PollOutcome.Delivered, result.Outcome);
        Assert.Equal(TenantHealth.Healthy, h.Grain.Health);
        var expected = await h.ReadDirectlyAsync(result.Sources[0].Window!.Value);
        Assert.Equal(expected, h.Sink.Keys.ToHashSet());
        Assert.Contains(h.Logs.Lines, line => line.Contains("; retry 1 in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_records_within_a_page_are_delivered_once()
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId, [new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.DuplicateRecords }]);

        var result = await h.PollAsync();

        Assert.Equal(PollOutcome.Delivered, result.Outcome);
        Assert.True((await h.StatsAsync()).FaultsInjected >= 2, "every page carried a duplicate");
        var keys = h.Sink.Keys;
        Assert.Equal(keys.Count, keys.Distinct().Count());
        await h.Admin.ClearFaultsAsync(h.TenantId);
        Assert.Equal(await h.ReadDirectlyAsync(result.Sources[0].Window!.Value), keys.ToHashSet());
    }

    [Fact]
    public async Task Poison_records_go_to_the_dead_letter_file_with_their_reason_and_do_not_block_the_tenant()
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId,
        [
            new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.BadTimestamp, Remaining = 1 },
            new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.MissingField, Remaining = 1 },
        ]);

        var result = await h.PollAsync();

        Assert.Equal(PollOutcome.Delivered, result.Outcome);
        Assert.Equal(TenantHealth.Healthy, h.Grain.Health);
        var window = result.Sources[0].Window!.Value;
        Assert.Equal(window.To, h.Checkpoint.Watermark);
        var expected = await h.ReadDirectlyAsync(window);
        Assert.Equal(expected.Count - 2, h.Sink.Records.Count);
        Assert.Subset(expected, h.Sink.Keys.ToHashSet());

        var file = Path.Combine(h.DeadLetterRoot, h.Tenant.TenantId, "incidents.jsonl");
        var letters = File.ReadAllLines(file).Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal(h.Tenant.TenantId, l.GetProperty("tenantId").GetString()));
        Assert.Contains("not a timestamp", letters[0].GetProperty("reason").GetString());
        Assert.Contains("not-a-timestamp", letters[0].GetProperty("raw").GetString());
        Assert.Contains("incidentId", letters[1].GetProperty("reason").GetString());
        using (var raw = System.Text.Json.JsonDocument.Parse(letters[1].GetProperty("raw").GetString()!))
        {
            Assert.False(raw.RootElement.TryGetProperty("incidentId", out _));
            Assert.True(raw.RootElement.TryGetProperty("lastUpdateTime", out _));
        }

        // The tenant carries on: the next window is read and delivered, the checkpoint moves on.
        h.Clock.Advance(3 * Minute);
        var next = await h.PollAsync();
        Assert.Equal(TenantHealth.Healthy, h.Grain.Health);
        Assert.Equal(next.Sources[0].Window!.Value.To, h.Checkpoint.Watermark);
        Assert.Equal(2, File.ReadAllLines(file).Length);
    }

    [Fact]
    public async Task A_rejected_token_is_refreshed_once_and_the_call_retried_once()
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId, [new FaultSpec { Source = SimulatorFaultSource.Incidents, Status = 401, Remaining = 1 }]);

        var result = await h.PollAsync();

        Assert.Equal(PollOutcome.Delivered, result.Outcome);
        var stats = await h.StatsAsync();
        Assert.Equal(1, stats.Calls(DefenderSources.Incidents, 401));
        Assert.Equal(2, stats.TokenRequests.Succeeded);
    }

    [Fact]
    public async Task A_token_the_api_keeps_rejecting_is_refreshed_once_not_in_a_loop_and_the_tenant_is_auth_failed()
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId, [new FaultSpec { Source = SimulatorFaultSource.Incidents, Status = 401 }]);

        await h.PollAsync();

        var stats = await h.StatsAsync();
        Assert.Equal(2, stats.Calls(DefenderSources.Incidents, 401));
        Assert.Equal(2, stats.TokenRequests.Succeeded);
        Assert.Equal(TenantHealth.AuthFailed, h.Grain.Health);
        Assert.Equal(h.Now + PollingOptions.DefaultOperatorFailureInitialBackoff, h.Checkpoint.RetryNotBefore);
    }

    [Fact]
    public async Task A_403_needs_an_operator_and_is_retried_ever_more_slowly_not_in_a_hot_loop()
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        await h.Admin.SetFaultsAsync(h.TenantId, [new FaultSpec { Source = SimulatorFaultSource.Incidents, Status = 403 }]);

        // The poll loop asks every minute for three hours of the shared clock.
        for (var minute = 0; minute < 180; minute++)
        {
            await h.PollAsync();
            h.Clock.Advance(Minute);
        }

        var stats = await h.StatsAsync();
        // At 0, 5, 15, 35, 75 and 135 minutes: six calls in three hours, each answered 403 once (no client retry).
        Assert.Equal(6, stats.Calls(DefenderSources.Incidents, 403));
        Assert.Equal(TenantHealth.NeedsOperator, h.Grain.Health);
        Assert.Equal("Forbidden", h.State.State.LastError!.Code);
        Assert.Contains("403", h.State.State.LastError.Message);
        Assert.Empty(h.Sink.Records);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("timeout")]
    public async Task A_transient_token_endpoint_failure_is_faulted_and_retried(string failure)
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        // A stall on the simulator's clock, which stands still: the token request times out on the client's side.
        await h.Admin.SetFaultsAsync(h.TenantId,
        [
            failure == "timeout"
                ? new FaultSpec { Source = SimulatorFaultSource.Token, Kind = SimulatorFaultKind.Stall, StallSeconds = 600 }
                : new FaultSpec { Source = SimulatorFaultSource.Token, Status = 500 },
        ]);

        await h.PollAsync();

        Assert.Equal(TenantHealth.Faulted, h.Grain.Health);
        Assert.Equal(h.Now + h.Polling.InitialFailureBackoff, h.Checkpoint.RetryNotBefore);

        await h.Admin.ClearFaultsAsync(h.TenantId);
        h.AdvancePastBackoff();
        var healed = await h.PollAsync();

        Assert.Equal(PollOutcome.Delivered, healed.Outcome);
        Assert.Equal(TenantHealth.Healthy, h.Grain.Health);
    }

    [Theory]
    [InlineData("wrong secret", TenantHealth.AuthFailed, "AADSTS7000215", "secret is wrong")]
    [InlineData("consent revoked", TenantHealth.ConsentMissing, "AADSTS65001", "consent")]
    [InlineData("tenant deleted", TenantHealth.TenantNotFound, "AADSTS90002", "does not exist")]
    public async Task A_token_refusal_shows_its_health_and_reason_and_retries_slowly(
        string refusal, TenantHealth health, string code, string hint)
    {
        await using var h = await GrainOnSimulator.StartAsync();
        await h.AddTenantAsync();
        switch (refusal)
        {
            case "wrong secret":
                h.Grain.UpdateSettings(h.Tenant with { ClientSecret = new Secret("not-the-secret") });
                break;
            case "consent revoked":
                await h.Admin.SetConsentAsync(h.TenantId, h.Tenant.ClientId, granted: false);
                break;
            default:
                await h.Admin.DeleteTenantAsync(h.TenantId);
                break;
        }

        await h.PollAsync();

        Assert.Equal(health, h.Grain.Health);
        Assert.Equal(code, h.State.State.LastError!.Code);
        Assert.Contains(hint, h.State.State.LastError.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(h.Now + PollingOptions.DefaultOperatorFailureInitialBackoff, h.Checkpoint.RetryNotBefore);
    }

    private static bool RetriedByClient(string fault) => fault is "500" or "502" or "503" or "504" or "reset" or "stall-mid-body";

    private static FaultSpec Rule(string fault) => fault switch
    {
        "reset" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.Reset },
        // The simulator's clock does not move while the client waits: the client's 2 s timeout ends each attempt.
        "stall-mid-body" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.StallMidBody, StallSeconds = 600 },
        "truncated-json" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.TruncatedJson },
        "malformed-json" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.MalformedJson },
        "empty-200" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.EmptyBody },
        "page-without-value" => new FaultSpec { Source = SimulatorFaultSource.Incidents, Kind = SimulatorFaultKind.MissingField, Field = "value" },
        _ => new FaultSpec { Source = SimulatorFaultSource.Incidents, Status = int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture) },
    };
}
