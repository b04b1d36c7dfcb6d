using System.Text.Json;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Tokens;

/// <summary>
/// Issue 9's memory per idle tenant: tokens live in <see cref="AccessTokenCache"/>, not in MSAL's cache, and are
/// served as MSAL would serve them.
/// </summary>
public class AccessTokenCacheTests
{
    private const string Authority = "https://127.0.0.1:5443";
    private const string Incidents = "https://api.security.microsoft.com";

    private readonly FakeTokenEndpoint _endpoint = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_token_is_served_until_five_minutes_before_it_expires_and_then_renewed()
    {
        var provider = CreateProvider();
        var tenant = Tenant();
        var first = await provider.GetTokenAsync(tenant, Incidents, false, default);

        _time.Advance(first.ExpiresOn - AccessTokenCache.RenewBefore - _time.GetUtcNow() - TimeSpan.FromSeconds(30));
        var cached = await provider.GetTokenAsync(tenant, Incidents, false, default);
        _time.Advance(TimeSpan.FromMinutes(1));
        var renewed = await provider.GetTokenAsync(tenant, Incidents, false, default);

        Assert.True(cached.FromCache);
        Assert.Equal(first.Token, cached.Token);
        Assert.False(renewed.FromCache);
        Assert.NotEqual(first.Token, renewed.Token);
        Assert.Equal(2, _endpoint.TokenRequests);
        Assert.Equal(renewed.ExpiresOn, provider.GetCachedExpiry(tenant, Incidents));
    }

    [Fact]
    public async Task Msal_keeps_at_most_the_last_token_of_a_shared_app_whatever_the_number_of_tenants()
    {
        var applications = new MsalApplications(new DefenderTokenOptions { RetryOnceOn5xx = false }, _endpoint, _time);
        var credential = new ClientSecretCredential(new Tenants.Secret("secret-value-1"));
        var application = applications.Get(new Uri(Authority), ClientId, credential);
        var held = new List<int>();
        application.AppTokenCache.SetAfterAccess(args => held.Add(AccessTokensIn(args.TokenCache.SerializeMsalV3())));

        foreach (var tenant in new[] { "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333" })
        {
            await application.AcquireTokenForClient([MsalAccessTokenProvider.ScopeFor(Incidents)]).WithTenantId(tenant).ExecuteAsync();
        }

        Assert.Equal(3, _endpoint.TokenRequests);
        Assert.NotEmpty(held);
        Assert.All(held, count => Assert.InRange(count, 0, 1));
    }

    [Fact]
    public async Task Many_tenants_keep_one_cached_token_each_per_resource()
    {
        var provider = CreateProvider();
        var tenants = Enumerable.Range(1, 20).Select(i => Tenant($"{i:D8}-1111-1111-1111-111111111111")).ToList();

        foreach (var tenant in tenants.Concat(tenants))
        {
            await provider.GetTokenAsync(tenant, Incidents, false, default);
        }

        Assert.Equal(tenants.Count, _endpoint.TokenRequests);
        Assert.All(tenants, t => Assert.NotNull(provider.GetCachedExpiry(t, Incidents)));
    }

    [Fact]
    public void Expired_tokens_nobody_asks_for_again_are_swept_as_new_ones_are_stored()
    {
        var cache = new AccessTokenCache(_time);
        var application = ConfidentialClientApplicationBuilder.Create(Guid.NewGuid().ToString())
            .WithClientSecret("not-used").Build();
        var removed = Tenant("99999999-1111-1111-1111-111111111111");
        cache.Set(removed, Incidents, application, "token-of-a-removed-tenant", _time.GetUtcNow().AddHours(1));

        _time.Advance(TimeSpan.FromHours(2));
        for (var i = 1; i < AccessTokenCache.SweepEvery; i++)
        {
            cache.Set(Tenant($"{i:D8}-1111-1111-1111-111111111111"), Incidents, application, "t", _time.GetUtcNow().AddHours(1));
        }

        Assert.Equal(AccessTokenCache.SweepEvery - 1, cache.Count);
    }

    private MsalAccessTokenProvider CreateProvider()
    {
        var endpoints = new DefenderEndpointsOptions();
        foreach (var (_, cloud) in endpoints.All())
        {
            cloud.AuthorityHost = new Uri(Authority);
        }

        return new MsalAccessTokenProvider(
            Options.Create(endpoints),
            Options.Create(new DefenderTokenOptions { RetryOnceOn5xx = false }),
            _endpoint,
            new ClientSecretCredentialResolver(),
            _time,
            NullLogger<MsalAccessTokenProvider>.Instance);
    }

    private static int AccessTokensIn(byte[] msalV3) =>
        msalV3.Length == 0 || JsonDocument.Parse(msalV3).RootElement is not { ValueKind: JsonValueKind.Object } root
            || !root.TryGetProperty("AccessToken", out var tokens)
            ? 0
            : tokens.EnumerateObject().Count();
}
