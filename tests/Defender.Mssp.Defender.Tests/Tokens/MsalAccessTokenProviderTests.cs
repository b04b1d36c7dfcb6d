using System.Net;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tests.Fakes;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Defender.Mssp.Defender.Tests.Fakes.TestTenants;

namespace Defender.Mssp.Defender.Tests.Tokens;

public partial class MsalAccessTokenProviderTests
{
    private const string Authority = "https://127.0.0.1:5443";
    private const string Incidents = "https://api.security.microsoft.com";
    private const string Siem = "https://graph.windows.net";
    private const string TenantA = "11111111-1111-1111-1111-111111111111";
    private const string TenantB = "22222222-2222-2222-2222-222222222222";

    private readonly FakeTokenEndpoint _endpoint = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);

    private MsalAccessTokenProvider CreateProvider(Action<DefenderEndpointsOptions>? configure = null)
    {
        var endpoints = new DefenderEndpointsOptions();
        foreach (var (_, cloud) in endpoints.All())
        {
            cloud.AuthorityHost = new Uri(Authority);
        }

        configure?.Invoke(endpoints);
        return new MsalAccessTokenProvider(
            Options.Create(endpoints),
            Options.Create(new DefenderTokenOptions { RetryOnceOn5xx = false }),
            _endpoint,
            new ClientSecretCredentialResolver(),
            _time,
            NullLogger<MsalAccessTokenProvider>.Instance);
    }

    [Fact]
    public async Task Many_tenants_sharing_a_client_id_share_one_app_and_cost_one_token_request_each_per_lifetime()
    {
        var provider = CreateProvider();
        var tenants = Enumerable.Range(1, 25).Select(i => Tenant($"{i:D8}-1111-1111-1111-111111111111")).ToList();

        for (var round = 0; round < 5; round++)
        {
            foreach (var tenant in tenants)
            {
                var token = await provider.GetTokenAsync(tenant, Incidents, false, default);
                Assert.StartsWith($"token-{tenant.TenantId}-", token.Token);
                Assert.Equal(round > 0, token.FromCache);
            }
        }

        Assert.All(tenants, t => Assert.Equal(1, _endpoint.TokenRequestsFor(t.TenantId)));
        Assert.Equal(tenants.Count, _endpoint.TokenRequests);
        Assert.Equal(1, provider.ApplicationCount);
    }

    [Fact]
    public async Task Msal_calls_only_the_tenants_v2_token_endpoint_on_the_configured_authority_host()
    {
        var provider = CreateProvider();

        await provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default);
        await provider.GetTokenAsync(Tenant(TenantB), Siem, false, default);

        Assert.Equal(
            [$"POST {Authority}/{TenantA}/oauth2/v2.0/token", $"POST {Authority}/{TenantB}/oauth2/v2.0/token"],
            _endpoint.RequestedUrls);
        var form = _endpoint.Handler.Requests.First().Body!;
        Assert.Contains("grant_type=client_credentials", form);
        Assert.Contains("scope=https%3A%2F%2Fapi.security.microsoft.com%2F.default", form);
        Assert.Contains($"client_id={ClientId}", form);
    }

    [Fact]
    public async Task Each_resource_gets_its_own_token()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);

        var incidents = await provider.GetTokenAsync(tenant, Incidents, false, default);
        var siem = await provider.GetTokenAsync(tenant, Siem + "/", false, default);
        await provider.GetTokenAsync(tenant, Siem, false, default);

        Assert.NotEqual(incidents.Token, siem.Token);
        Assert.Equal(2, _endpoint.TokenRequests);
        Assert.Contains("scope=https%3A%2F%2Fgraph.windows.net%2F.default", _endpoint.Handler.Requests.Last().Body);
    }

    [Fact]
    public async Task Force_refresh_requests_a_new_token_which_is_then_cached()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);

        var first = await provider.GetTokenAsync(tenant, Incidents, false, default);
        var forced = await provider.GetTokenAsync(tenant, Incidents, true, default);
        var after = await provider.GetTokenAsync(tenant, Incidents, false, default);

        Assert.NotEqual(first.Token, forced.Token);
        Assert.Equal(forced.Token, after.Token);
        Assert.Equal(2, _endpoint.TokenRequests);
    }

    [Fact]
    public async Task A_rotated_secret_gets_a_new_app_and_a_new_token()
    {
        var provider = CreateProvider();

        await provider.GetTokenAsync(Tenant(TenantA, "old-secret"), Incidents, false, default);
        await provider.GetTokenAsync(Tenant(TenantA, "old-secret"), Incidents, false, default);
        await provider.GetTokenAsync(Tenant(TenantA, "new-secret"), Incidents, false, default);
        await provider.GetTokenAsync(Tenant(TenantA, "new-secret"), Incidents, false, default);

        Assert.Equal(2, _endpoint.TokenRequests);
        Assert.Equal(2, provider.ApplicationCount);
        Assert.Contains("client_secret=new-secret", _endpoint.Handler.Requests.Last().Body);
    }

    [Fact]
    public async Task Apps_idle_longer_than_the_timeout_are_dropped_when_another_is_created()
    {
        var provider = CreateProvider();
        await provider.GetTokenAsync(Tenant(TenantA, "old-secret"), Incidents, false, default);

        _time.Advance(DefenderTokenOptions.DefaultAppIdleTimeout + TimeSpan.FromMinutes(1));
        await provider.GetTokenAsync(Tenant(TenantA, "new-secret"), Incidents, false, default);

        Assert.Equal(1, provider.ApplicationCount);
    }

    [Fact]
    public async Task Each_cloud_uses_its_own_authority_host()
    {
        var provider = CreateProvider(e => e.GccHigh.AuthorityHost = new Uri("https://login.gov.test"));

        await provider.GetTokenAsync(Tenant(TenantA) with { Cloud = DefenderCloud.GccHigh }, Incidents, false, default);
        await provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default);

        Assert.Equal(
            [$"POST https://login.gov.test/{TenantA}/oauth2/v2.0/token", $"POST {Authority}/{TenantA}/oauth2/v2.0/token"],
            _endpoint.RequestedUrls);
        Assert.Equal(2, provider.ApplicationCount);
    }

    [Fact]
    public async Task Cached_expiry_is_reported_per_tenant_and_resource()
    {
        var provider = CreateProvider();
        var tenant = Tenant(TenantA);
        Assert.Null(provider.GetCachedExpiry(tenant, Incidents));

        var token = await provider.GetTokenAsync(tenant, Incidents, false, default);

        Assert.Equal(token.ExpiresOn, provider.GetCachedExpiry(tenant, Incidents));
        Assert.InRange(token.ExpiresOn, DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Null(provider.GetCachedExpiry(tenant, Siem));
        Assert.Null(provider.GetCachedExpiry(Tenant(TenantB), Incidents));

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Null(provider.GetCachedExpiry(tenant, Incidents));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.")]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app are expired.")]
    [InlineData(HttpStatusCode.BadRequest, "unauthorized_client", 700016, "AADSTS700016: Application with identifier 'x' was not found in the directory.")]
    [InlineData(HttpStatusCode.BadRequest, "invalid_grant", 65001, "AADSTS65001: The user or administrator has not consented to use the application.")]
    [InlineData(HttpStatusCode.BadRequest, "invalid_request", 90002, "AADSTS90002: Tenant 'x' not found.")]
    public async Task Token_endpoint_refusals_map_to_the_oauth_error_and_aadsts_code(
        HttpStatusCode status, string error, int code, string description)
    {
        _endpoint.Failure = (_, _) => FakeTokenEndpoint.Error(status, error, description, code);
        var provider = CreateProvider();

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default));

        Assert.Equal(TenantA, failure.TenantId);
        Assert.Equal(error, failure.ErrorCode);
        Assert.Equal("AADSTS" + code, failure.AadstsCode);
        Assert.False(failure.IsTransient);
        Assert.Contains("AADSTS" + code, failure.Message);
        Assert.NotNull(AadstsCodes.Describe(failure.AadstsCode));
    }

    [Fact]
    public async Task The_aadsts_code_is_found_in_error_codes_when_the_description_lacks_it()
    {
        _endpoint.Failure = (_, _) => FakeTokenEndpoint.Error(HttpStatusCode.Unauthorized, "invalid_client", "Invalid client secret provided.", 7000215);
        var provider = CreateProvider();

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default));

        Assert.Equal(AadstsCodes.InvalidClientSecret, failure.AadstsCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Server_errors_and_throttling_are_transient(HttpStatusCode status)
    {
        _endpoint.Failure = (_, _) => FakeTokenEndpoint.Error(status, "temporarily_unavailable", "AADSTS90033: A transient error has occurred.", 90033);
        var provider = CreateProvider();

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default));

        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_is_transient()
    {
        var endpoint = new FailingMsalHttpClientFactory();
        var provider = new MsalAccessTokenProvider(
            Options.Create(new DefenderEndpointsOptions()), Options.Create(new DefenderTokenOptions { RetryOnceOn5xx = false }),
            endpoint, new ClientSecretCredentialResolver(), _time, NullLogger<MsalAccessTokenProvider>.Instance);

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA), Incidents, false, default));

        Assert.True(failure.IsTransient);
        Assert.Equal(TenantA, failure.TenantId);
    }

    [Fact]
    public async Task The_secret_never_appears_in_the_exception_even_when_the_endpoint_echoes_it()
    {
        const string secret = "Zx9~very-secret-value~Q";
        _endpoint.Failure = (_, form) => FakeTokenEndpoint.Error(HttpStatusCode.Unauthorized, "invalid_client",
            $"AADSTS7000215: Invalid client secret provided: '{form["client_secret"]}'.", 7000215);
        var provider = CreateProvider();

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA, secret), Incidents, false, default));

        Assert.Contains("client_secret", _endpoint.Handler.Requests.Single().Body); // it was sent, and echoed
        Assert.DoesNotContain(secret, failure.ToString());
        Assert.DoesNotContain(secret, failure.Message);
        Assert.Equal(AadstsCodes.InvalidClientSecret, failure.AadstsCode);
    }

    [Fact]
    public async Task A_tenant_without_a_secret_fails_without_calling_the_endpoint()
    {
        var provider = CreateProvider();

        var failure = await Assert.ThrowsAsync<TokenAcquisitionException>(
            () => provider.GetTokenAsync(Tenant(TenantA) with { ClientSecret = null }, Incidents, false, default));

        Assert.Equal("no_credential", failure.ErrorCode);
        Assert.False(failure.IsTransient);
        Assert.Empty(_endpoint.Handler.Requests);
    }

    [Fact]
    public async Task Token_results_do_not_print_the_token()
    {
        var token = await CreateProvider().GetTokenAsync(Tenant(TenantA), Incidents, false, default);

        Assert.DoesNotContain(token.Token, token.ToString());
    }

    [Fact]
    public void Credential_fingerprints_identify_secrets_without_revealing_them()
    {
        var one = new ClientSecretCredential(new Secret("secret-one"));

        Assert.Equal(one.Fingerprint, new ClientSecretCredential(new Secret("secret-one")).Fingerprint);
        Assert.NotEqual(one.Fingerprint, new ClientSecretCredential(new Secret("secret-two")).Fingerprint);
        Assert.DoesNotContain("secret-one", one.Fingerprint + one);
    }

    private sealed class FailingMsalHttpClientFactory : Microsoft.Identity.Client.IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => new(new RecordingHandler(_ => throw new HttpRequestException("Connection refused")));
    }
}
