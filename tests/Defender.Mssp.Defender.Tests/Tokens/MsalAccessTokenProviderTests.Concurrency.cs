using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Tokens;

/// <summary>
/// Issue 9's third token request: one token per tenant and resource per lifetime, however the requests for it
/// overlap and whoever gives up waiting.
/// </summary>
public partial class MsalAccessTokenProviderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Concurrent_first_requests_for_one_tenant_and_resource_cost_one_token_request()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Hold = answer.Task;

        var callers = Enumerable.Range(0, 5).Select(_ => provider.GetTokenAsync(tenant, Incidents, false, default)).ToList();
        // Each caller has had every chance to reach the endpoint: before sharing, all five did within milliseconds.
        await WaitUntilAsync(() => _endpoint.TokenRequests == callers.Count, Patience);
        answer.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, _endpoint.TokenRequestsFor(TenantA));
        Assert.Single(tokens.Select(t => t.Token).Distinct());
        Assert.Equal(tokens[0].Token, (await provider.GetTokenAsync(tenant, Incidents, false, default)).Token);
        Assert.Equal(1, _endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_caller_giving_up_does_not_waste_the_token_the_endpoint_issued()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Hold = answer.Task;
        using var giveUp = new CancellationTokenSource();

        var impatient = provider.GetTokenAsync(tenant, Incidents, false, giveUp.Token);
        await WaitUntilAsync(() => _endpoint.TokenRequests == 1, TimeSpan.FromSeconds(30));
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        answer.SetResult();
        var next = await provider.GetTokenAsync(tenant, Incidents, false, default);

        Assert.StartsWith($"token-{TenantA}-", next.Token);
        Assert.Equal(1, _endpoint.TokenRequests);
    }

    [Fact]
    public async Task Requests_for_other_tenants_or_resources_do_not_wait_for_each_other()
    {
        var provider = CreateProvider();
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Hold = answer.Task;

        var callers = new[]
        {
            provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default),
            provider.GetTokenAsync(Tenant(TenantA), Siem, false, default),
            provider.GetTokenAsync(Tenant(TenantB), Incidents, false, default),
        };
        await WaitUntilAsync(() => _endpoint.TokenRequests == callers.Length, TimeSpan.FromSeconds(30));
        answer.SetResult();
        await Task.WhenAll(callers);

        Assert.Equal(3, _endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_forced_refresh_does_not_join_a_plain_request_in_flight()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Hold = answer.Task;

        var plain = provider.GetTokenAsync(tenant, Incidents, false, default);
        var forced = provider.GetTokenAsync(tenant, Incidents, true, default);
        await WaitUntilAsync(() => _endpoint.TokenRequests == 2, TimeSpan.FromSeconds(30));
        answer.SetResult();

        Assert.NotEqual((await plain).Token, (await forced).Token);
        Assert.Equal(2, _endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_failure_reaches_every_caller_sharing_the_request_and_the_next_request_tries_again()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _endpoint.Failure = (_, _) =>
        {
            answer.Task.Wait(TimeSpan.FromSeconds(30));
            return Fakes.FakeTokenEndpoint.Error(System.Net.HttpStatusCode.Unauthorized, "invalid_client",
                "AADSTS7000215: Invalid client secret provided.", 7000215);
        };

        var callers = Enumerable.Range(0, 3).Select(_ => Task.Run(() => provider.GetTokenAsync(tenant, Incidents, false, default))).ToList();
        await WaitUntilAsync(() => !_endpoint.Handler.Requests.IsEmpty, TimeSpan.FromSeconds(30));
        answer.SetResult();

        foreach (var caller in callers)
        {
            var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(() => caller);
            Assert.Equal(AadstsCodes.InvalidClientSecret, failure.AadstsCode);
        }

        _endpoint.Failure = null;
        Assert.False((await provider.GetTokenAsync(tenant, Incidents, false, default)).FromCache);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="patience"/> has passed; never fails.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
