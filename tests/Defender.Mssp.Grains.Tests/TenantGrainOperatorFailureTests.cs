using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;

namespace Defender.Mssp.Grains.Tests;

/// <summary>
/// Failures only an operator can fix (token refusals, a 403): the right health and message in status, and a slow
/// schedule that backs off to an hour instead of hammering the service.
/// </summary>
public sealed class TenantGrainOperatorFailureTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly GrainHarness _h = new();

    public static TheoryData<string, string, TenantHealth> TokenRefusals => new()
    {
        { "AADSTS7000215", "invalid_client", TenantHealth.AuthFailed },
        { "AADSTS7000222", "invalid_client", TenantHealth.AuthFailed },
        { "AADSTS700016", "unauthorized_client", TenantHealth.AuthFailed },
        { "AADSTS7000112", "unauthorized_client", TenantHealth.AuthFailed },
        { "AADSTS700027", "invalid_client", TenantHealth.AuthFailed },
        { "AADSTS65001", "invalid_grant", TenantHealth.ConsentMissing },
        { "AADSTS500011", "invalid_resource", TenantHealth.ConsentMissing },
        { "AADSTS90002", "invalid_request", TenantHealth.TenantNotFound },
        { "AADSTS900023", "invalid_request", TenantHealth.TenantNotFound },
    };

    [Theory]
    [MemberData(nameof(TokenRefusals))]
    public async Task Each_token_refusal_shows_its_health_and_message_and_retries_on_the_slow_schedule(
        string aadsts, string error, TenantHealth health)
    {
        _h.Options.Jitter = 0;
        var message = $"{aadsts}: refused for tenant {GrainHarness.TenantId}.";
        _h.Incidents.FailAlways = new TokenAcquisitionException(GrainHarness.TenantId, message, error, aadsts);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(health, _h.Saved!.Health);
        Assert.Equal(aadsts, _h.Saved.LastError!.Code);
        Assert.Equal(message, _h.Saved.LastError.Message);
        Assert.Equal(_h.Now + PollingOptions.DefaultOperatorFailureInitialBackoff, _h.Saved.Sources[DefenderSources.Incidents].RetryNotBefore);
    }

    [Fact]
    public async Task A_transient_token_failure_is_faulted_and_retried_on_the_ordinary_schedule()
    {
        _h.Options.Jitter = 0;
        _h.Incidents.FailNextRead(new TokenAcquisitionException(
            GrainHarness.TenantId, "The token endpoint answered 503.", "temporarily_unavailable", isTransient: true));
        _h.Incidents.Publish("incident-1", _h.Now - 10 * Minute);
        var grain = await _h.ActivateAsync();

        await grain.PollOnceAsync(CancellationToken.None);
        Assert.Equal(TenantHealth.Faulted, _h.Saved!.Health);
        Assert.Equal(_h.Now + PollingOptions.DefaultInitialFailureBackoff, _h.Saved.Sources[DefenderSources.Incidents].RetryNotBefore);

        _h.Clock.Advance(PollingOptions.DefaultInitialFailureBackoff);
        var recovered = await grain.PollOnceAsync(CancellationToken.None);

        Assert.Equal(TenantHealth.Healthy, _h.Saved.Health);
        Assert.Equal(1, recovered.Delivered);
    }

    [Fact]
    public async Task A_403_needs_an_operator_and_backs_off_exponentially_to_an_hour_without_a_hot_loop()
    {
        _h.Options.Jitter = 0;
        _h.Incidents.FailAlways = new DefenderApiException(
            DefenderSources.Incidents, 403, "incidents API answered HTTP 403 Forbidden: consent revoked", errorCode: "Forbidden");
        var grain = await _h.ActivateAsync();
        var start = _h.Now;
        var backoffs = new List<TimeSpan>();

        // The poll loop asks every minute for six hours; the grain goes to the API only when the backoff allows.
        for (var minute = 0; minute <= 360; minute++)
        {
            var retryBefore = _h.Saved?.Sources.GetValueOrDefault(DefenderSources.Incidents)?.RetryNotBefore;
            await grain.PollOnceAsync(CancellationToken.None);
            var retryAfter = _h.Saved!.Sources[DefenderSources.Incidents].RetryNotBefore;
            if (retryAfter != retryBefore)
            {
                backoffs.Add(retryAfter!.Value - _h.Now);
            }

            _h.Clock.Advance(Minute);
        }

        Assert.Equal(TenantHealth.NeedsOperator, _h.Saved!.Health);
        Assert.Equal("Forbidden", _h.Saved.LastError!.Code);
        Assert.Contains("403", _h.Saved.LastError.Message);
        // 0, 5, 15, 35, 75, 135, 195, 255, 315 minutes: nine calls in six hours, not 361.
        Assert.Equal(9, _h.Incidents.Reads);
        Assert.Equal(
            [5 * Minute, 10 * Minute, 20 * Minute, 40 * Minute, 60 * Minute, 60 * Minute, 60 * Minute, 60 * Minute, 60 * Minute],
            backoffs);
        Assert.Equal(PollingOptions.DefaultMaxFailureBackoff, backoffs.Max());
        Assert.True(_h.Now - start > TimeSpan.FromHours(6));
    }
}
