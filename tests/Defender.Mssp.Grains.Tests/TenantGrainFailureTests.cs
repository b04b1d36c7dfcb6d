using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Grains.Tests;

/// <summary>Failures: how they map to health, back off, stay within one source, and end a turn when ownership is lost.</summary>
public sealed class TenantGrainFailureTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly GrainHarness _h = new();

    public static TheoryData<string, TenantHealth, string> Failures => new()
    {
        { "wrong secret", TenantHealth.AuthFailed, "AADSTS7000215" },
        { "expired secret", TenantHealth.AuthFailed, "AADSTS7000222" },
        { "app not in tenant", TenantHealth.AuthFailed, "AADSTS700016" },
        { "invalid_client without AADSTS code", TenantHealth.AuthFailed, "invalid_client" },
        { "no admin consent", TenantHealth.ConsentMissing, "AADSTS65001" },
        { "tenant not found", TenantHealth.TenantNotFound, "AADSTS90002" },
        { "token endpoint timeout", TenantHealth.Faulted, "temporarily_unavailable" },
        { "api 401", TenantHealth.AuthFailed, "http_401" },
        { "api 403", TenantHealth.NeedsOperator, "Forbidden" },
        { "api 429", TenantHealth.Throttled, "http_429" },
        { "api 500", TenantHealth.Faulted, "http_500" },
        { "no response", TenantHealth.Faulted, "no_response" },
        { "anything else", TenantHealth.Faulted, nameof(HttpRequestException) },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Each_failure_maps_to_the_health_an_operator_must_see(string failure, TenantHealth health, string code)
    {
        _h.Incidents.FailNextRead(Exception(failure));
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(health, grain.Health);
        Assert.Equal(health, _h.Saved!.Health);
        Assert.Equal(PollOutcome.Failed, result.Outcome);
        Assert.Equal(code, _h.Saved.LastError!.Code);
        Assert.Equal(DefenderSources.Incidents, _h.Saved.LastError.Source);
        Assert.Equal(_h.Now, _h.Saved.LastError.At);
    }

    [Fact]
    public async Task One_failing_source_does_not_stop_the_other()
    {
        UseBothSources();
        _h.Incidents.FailAlways = new DefenderApiException(DefenderSources.Incidents, 500, "Internal server error");
        _h.Siem.Publish("alert-1", _h.Now - 10 * Minute);
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.PartiallyFailed, result.Outcome);
        Assert.Equal(TenantHealth.Faulted, result.Health);
        Assert.Equal(["alert-1"], _h.Sink.DeliveredKeys(DefenderSources.Siem).Select(key => key.Id));
        Assert.Equal(TenantHealth.Faulted, _h.SavedCheckpoint(DefenderSources.Incidents)!.Health);
        Assert.Equal(TenantHealth.Healthy, _h.SavedCheckpoint(DefenderSources.Siem)!.Health);
        Assert.Equal(
            [(DefenderSources.Incidents, SourcePollStatus.Failed), (DefenderSources.Siem, SourcePollStatus.Delivered)],
            result.Sources.Select(source => (source.Source, source.Status)));
    }

    [Fact]
    public async Task A_throttled_source_waits_for_retry_after_even_when_a_poll_is_requested()
    {
        _h.Incidents.FailNextRead(new DefenderApiException(DefenderSources.Incidents, 429, "Too many requests", retryAfter: 10 * Minute));
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Equal(_h.Now + 10 * Minute, _h.Saved!.Sources[DefenderSources.Incidents].RetryNotBefore);
        Assert.Equal(_h.Now + 10 * Minute, _h.Saved.NextPollNotBefore);

        _h.Clock.Advance(5 * Minute);
        var waiting = await grain.PollOnceAsync(CancellationToken.None);
        grain.RequestPollNow();
        var requested = await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(5 * Minute);
        var resumed = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Deferred, waiting.Outcome);
        Assert.Equal(PollOutcome.Deferred, requested.Outcome);
        Assert.Equal(PollOutcome.NothingNew, resumed.Outcome);
        Assert.Equal(2, _h.Incidents.Reads);
        Assert.Equal(TenantHealth.Healthy, grain.Health);
    }

    [Fact]
    public async Task Failures_back_off_exponentially_up_to_the_cap_and_success_resets_them()
    {
        _h.Options.Jitter = 0;
        _h.Options.MaxFailureBackoff = 2 * Minute;
        _h.Incidents.FailAlways = new DefenderApiException(DefenderSources.Incidents, 503, "Service unavailable");
        var grain = await _h.ActivateAsync();
        var backoffs = new List<TimeSpan>();

        for (var failure = 0; failure < 4; failure++)
        {
            await grain.PollOnceAsync(CancellationToken.None);
            var retryAt = _h.Saved!.Sources[DefenderSources.Incidents].RetryNotBefore!.Value;
            backoffs.Add(retryAt - _h.Now);
            _h.Clock.Advance(retryAt - _h.Now - TimeSpan.FromSeconds(1));
            Assert.Equal(PollOutcome.Deferred, (await grain.PollOnceAsync(CancellationToken.None)).Outcome);
            _h.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([TimeSpan.FromSeconds(30), Minute, 2 * Minute, 2 * Minute], backoffs);
        Assert.Equal(4, _h.Saved!.ConsecutiveFailures);
        Assert.Equal(4, _h.Saved.Sources[DefenderSources.Incidents].ConsecutiveFailures);

        _h.Incidents.FailAlways = null;
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.Healthy, _h.Saved!.Health);
        Assert.Equal(0, _h.Saved!.ConsecutiveFailures);
        Assert.Null(_h.Saved.Sources[DefenderSources.Incidents].RetryNotBefore);
        Assert.Equal("http_503", _h.Saved.LastError!.Code);
    }

    [Fact]
    public async Task A_poll_request_retries_a_source_that_is_backing_off()
    {
        _h.Incidents.FailNextRead(new TokenAcquisitionException(GrainHarness.TenantId, "Consent missing", "invalid_grant", "AADSTS65001"));
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Equal(TenantHealth.ConsentMissing, grain.Health);

        grain.RequestPollNow();
        var retried = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(2, _h.Incidents.Reads);
        Assert.Equal(PollOutcome.NothingNew, retried.Outcome);
        Assert.Equal(TenantHealth.Healthy, _h.Saved!.Health);
    }

    [Fact]
    public async Task An_unknown_source_is_a_configuration_error_in_status_not_a_crash()
    {
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Incidents, "graph-alerts"] };
        _h.Incidents.Publish("1", _h.Now - 5 * Minute);
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.PartiallyFailed, result.Outcome);
        Assert.Equal(TenantHealth.NeedsOperator, _h.Saved!.Health);
        Assert.Equal(("unknown_source", "graph-alerts"), (_h.Saved.LastError!.Code, _h.Saved.LastError.Source));
        Assert.Single(_h.Sink.Delivered);
    }

    [Theory]
    [InlineData(typeof(InconsistentStateException))]
    [InlineData(typeof(LeaseLostException))]
    public async Task Lost_ownership_ends_the_turn_at_once_and_the_grain_never_writes_again(Type exceptionType)
    {
        UseBothSources();
        _h.Options.MaxBatchSize = 1;
        _h.Incidents.Publish("1", _h.Now - 5 * Minute);
        _h.Incidents.Publish("2", _h.Now - 4 * Minute);
        _h.Siem.Publish("alert", _h.Now - 4 * Minute);
        _h.Storage.FailWrite = _ => exceptionType == typeof(LeaseLostException)
            ? new LeaseLostException(GrainHarness.StateKey, "Lease lost")
            : new InconsistentStateException(GrainHarness.StateKey, "\"etag\"", "ETag mismatch");
        var grain = await _h.ActivateAsync();

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => grain.PollOnceAsync(CancellationToken.None));
        _h.Storage.FailWrite = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.PollOnceAsync(CancellationToken.None));
        await grain.DeactivateAsync(CancellationToken.None);

        Assert.IsType(exceptionType, thrown);
        Assert.Single(_h.Sink.Delivered);
        Assert.Equal(0, _h.Siem.Reads);
        Assert.Equal(0, _h.Storage.Writes);
    }

    [Fact]
    public async Task While_storage_is_down_nothing_more_is_delivered_and_delivery_resumes_once_it_saves()
    {
        _h.Options.MaxBatchSize = 1;
        for (var i = 0; i < 3; i++)
        {
            _h.Incidents.Publish($"r{i}", _h.Now - (10 - i) * Minute);
        }

        var storageDown = true;
        _h.Storage.FailWrite = _ => storageDown ? new IOException("Storage account unreachable") : null;
        var grain = await _h.ActivateAsync();

        var failed = await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(Minute);
        var stillDown = await grain.PollOnceAsync(CancellationToken.None);
        storageDown = false;
        _h.Clock.Advance(Minute);
        var recovered = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Failed, failed.Outcome);
        Assert.Equal(TenantHealth.Faulted, failed.Health);
        Assert.Equal(PollOutcome.Failed, stillDown.Outcome);
        // Read by the first and third turns; the second did not read while its last delivery was unsaved.
        Assert.Equal(2, _h.Incidents.Reads);
        Assert.Equal(PollOutcome.Delivered, recovered.Outcome);
        Assert.Equal(["r0", "r1", "r2"], _h.Sink.DeliveredKeys().Select(key => key.Id));
        Assert.Equal("checkpoint_write_failed", _h.Saved!.LastError!.Code);
        Assert.Equal(TenantHealth.Healthy, _h.Saved.Health);
    }

    [Fact]
    public async Task The_earliest_token_expiry_of_the_sources_is_recorded()
    {
        UseBothSources();
        _h.Incidents.TokenExpiry = _h.Now + 50 * Minute;
        _h.Siem.TokenExpiry = _h.Now + 30 * Minute;
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(_h.Now + 30 * Minute, _h.Saved!.TokenExpiresOn);
    }

    [Fact]
    public async Task A_paused_tenant_reads_nothing_and_says_so()
    {
        _h.Settings = _h.Settings with { Paused = true };
        _h.Incidents.Publish("1", _h.Now - 5 * Minute);
        var grain = await _h.ActivateAsync();

        var result = await grain.PollOnceAsync(CancellationToken.None);
        _h.Clock.Advance(Minute);
        var again = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(PollOutcome.Paused, result.Outcome);
        Assert.Equal(TenantHealth.Paused, _h.Saved!.Health);
        Assert.False(again.StateWritten);
        Assert.Equal(0, _h.Incidents.Reads);
        Assert.Empty(_h.Sink.Attempted);
    }

    [Fact]
    public async Task Changed_settings_take_effect_at_the_next_turn()
    {
        var grain = await _h.ActivateAsync();
        await grain.PollOnceAsync(CancellationToken.None);

        grain.UpdateSettings(_h.Settings with { Sources = [DefenderSources.Siem] });
        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (_h.Incidents.Reads, _h.Siem.Reads));
        Assert.Throws<ArgumentException>(() => grain.UpdateSettings(_h.Settings with { TenantId = "another-tenant" }));
    }

    [Fact]
    public async Task Observers_hear_every_turn_and_a_failing_one_does_not_break_the_grain()
    {
        _h.Observers.Insert(0, new ThrowingObserver());
        _h.Incidents.Publish("1", _h.Now - 5 * Minute);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);
        var heard = await _h.Observer.NextAsync();

        Assert.Equal((GrainHarness.TenantId, 1, PollOutcome.Delivered), (heard.TenantId, heard.Delivered, heard.Outcome));
        Assert.Same(heard, grain.LastResult);
    }

    private sealed class ThrowingObserver : ITenantGrainObserver
    {
        public void OnPollCompleted(TenantPollResult result) => throw new InvalidOperationException("Metrics exporter is broken");
    }

    private void UseBothSources() =>
        _h.Settings = _h.Settings with { Sources = [DefenderSources.Incidents, DefenderSources.Siem] };

    private static Exception Exception(string failure)
    {
        const string tenant = GrainHarness.TenantId;
        const string incidents = DefenderSources.Incidents;
        return failure switch
        {
            "wrong secret" => new TokenAcquisitionException(tenant, "AADSTS7000215: Invalid client secret provided.", "invalid_client", "AADSTS7000215"),
            "expired secret" => new TokenAcquisitionException(tenant, "AADSTS7000222: The provided client secret keys are expired.", "invalid_client", "AADSTS7000222"),
            "app not in tenant" => new TokenAcquisitionException(tenant, "AADSTS700016: Application not found in the directory.", "unauthorized_client", "AADSTS700016"),
            "invalid_client without AADSTS code" => new TokenAcquisitionException(tenant, "Client authentication failed.", "invalid_client"),
            "no admin consent" => new TokenAcquisitionException(tenant, "AADSTS65001: The user or administrator has not consented.", "invalid_grant", "AADSTS65001"),
            "tenant not found" => new TokenAcquisitionException(tenant, "AADSTS90002: Tenant not found.", "invalid_request", "AADSTS90002"),
            "token endpoint timeout" => new TokenAcquisitionException(tenant, "The token endpoint timed out.", "temporarily_unavailable", isTransient: true),
            "api 401" => new DefenderApiException(incidents, 401, "Unauthorized"),
            "api 403" => new DefenderApiException(incidents, 403, "Access denied", errorCode: "Forbidden"),
            "api 429" => new DefenderApiException(incidents, 429, "Too many requests", retryAfter: TimeSpan.FromSeconds(20)),
            "api 500" => new DefenderApiException(incidents, 500, "Internal server error"),
            "no response" => new DefenderApiException(incidents, 0, "The connection was reset"),
            _ => new HttpRequestException("Name or service not known (api.security.microsoft.com:443)"),
        };
    }
}
