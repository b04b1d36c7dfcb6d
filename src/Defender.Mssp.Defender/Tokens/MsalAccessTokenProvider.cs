using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// <see cref="IAccessTokenProvider"/> on MSAL's confidential client (client credentials flow). Tokens come from
/// <see cref="AccessTokenCache"/> until shortly before expiry; the token endpoint is
/// <c>{authority host of the tenant's cloud}/{tenantId}/oauth2/v2.0/token</c> and nothing else is called (instance
/// discovery is off unless <see cref="DefenderTokenOptions.InstanceDiscovery"/> is set). Concurrent requests for the
/// same tenant and resource share one acquisition, so a tenant costs one token request per resource per lifetime.
/// </summary>
public sealed partial class MsalAccessTokenProvider : IAccessTokenProvider, IDisposable
{
    private readonly IOptions<DefenderEndpointsOptions> _endpoints;
    private readonly ITenantCredentialResolver _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MsalAccessTokenProvider> _logger;
    private readonly MsalApplications _applications;
    private readonly DefenderClientMetrics? _metrics;
    private readonly ClientCertificateMetrics? _certificateMetrics;
    private readonly AccessTokenCache _cache;
    private readonly SharedAcquisitions<AcquisitionKey, AccessTokenResult> _acquisitions = new();
    private readonly CancellationTokenSource _stopping = new();

    public MsalAccessTokenProvider(
        IOptions<DefenderEndpointsOptions> endpoints,
        IOptions<DefenderTokenOptions> tokenOptions,
        IMsalHttpClientFactory httpClientFactory,
        ITenantCredentialResolver credentials,
        TimeProvider timeProvider,
        ILogger<MsalAccessTokenProvider> logger,
        DefenderClientMetrics? metrics = null,
        ClientCertificateMetrics? certificateMetrics = null)
    {
        _endpoints = endpoints;
        _metrics = metrics;
        _certificateMetrics = certificateMetrics;
        _credentials = credentials;
        _timeProvider = timeProvider;
        _logger = logger;
        _applications = new MsalApplications(tokenOptions.Value, httpClientFactory, timeProvider);
        _cache = new AccessTokenCache(timeProvider);
    }

    /// <summary>How many MSAL applications are alive (one per authority host, client id and credential).</summary>
    public int ApplicationCount => _applications.Count;

    public async Task<AccessTokenResult> GetTokenAsync(
        TenantSettings tenant, string resource, bool forceRefresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        var credential = _credentials.Resolve(tenant);
        if (credential is null)
        {
            _certificateMetrics?.Forget(tenant.TenantId);
            throw new TokenAcquisitionException(tenant.TenantId,
                $"Tenant '{tenant.TenantId}' has no client credential configured.", errorCode: "no_credential");
        }

        _certificateMetrics?.CredentialUsed(tenant.TenantId, credential);
        var authorityHost = _endpoints.Value.For(tenant.Cloud).AuthorityHost;
        IConfidentialClientApplication application;
        try
        {
            application = _applications.Get(authorityHost, tenant.ClientId, credential);
        }
        catch (Exception ex) when (ex is InvalidTenantCertificateException or System.Security.Cryptography.CryptographicException)
        {
            // Checked when the certificate was accepted; a key the platform cannot load now needs an operator all the same.
            throw Failed(new TokenAcquisitionException(tenant.TenantId,
                $"The client certificate of tenant '{tenant.TenantId}' (client '{tenant.ClientId}') cannot be loaded: {ex.GetType().Name}.",
                errorCode: "invalid_certificate"));
        }

        if (!forceRefresh && _cache.TryGet(tenant, resource, application) is { } cached)
        {
            return cached;
        }

        var key = new AcquisitionKey(application, tenant.TenantId.ToLowerInvariant(), ScopeFor(resource), forceRefresh);
        return await _acquisitions.RunAsync(key, (Provider: this, Tenant: tenant, Resource: resource, Credential: credential),
                static (key, state) => state.Provider.AcquireAsync(key, state.Tenant, state.Resource, state.Credential),
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The one MSAL call for <paramref name="key"/> that every concurrent caller shares (see
    /// <see cref="SharedAcquisitions{TKey, TResult}"/>): MSAL itself sends one token request per cache miss, so two
    /// polls missing at once (a grain reactivated while its old activation still waits for a token, a retry racing a
    /// slow first attempt) would both reach the token endpoint. It runs on the provider's lifetime, not a caller's
    /// token: a caller that gives up does not throw away a token the endpoint has already issued; the next caller
    /// finds it in <see cref="AccessTokenCache"/>. HttpClient's timeout (<see cref="DefenderHttpOptions.RequestTimeout"/>) bounds it.
    /// </summary>
    private async Task<AccessTokenResult> AcquireAsync(
        AcquisitionKey key, TenantSettings tenant, string resource, TenantClientCredential credential)
    {
        // The acquisition a caller found no token before may have just finished; its token is served, not fetched again.
        if (!key.ForceRefresh && _cache.TryGet(tenant, resource, key.Application) is { } cached)
        {
            return cached;
        }

        AuthenticationResult result;
        try
        {
            result = await key.Application
                .AcquireTokenForClient([key.Scope])
                .WithTenantId(tenant.TenantId)
                .WithForceRefresh(key.ForceRefresh)
                .ExecuteAsync(_stopping.Token)
                .ConfigureAwait(false);
        }
        catch (MsalServiceException ex)
        {
            throw Failed(TokenErrors.FromService(tenant.TenantId, tenant.ClientId, ex, credential));
        }
        catch (MsalClientException ex)
        {
            throw Failed(TokenErrors.FromClient(tenant.TenantId, tenant.ClientId, ex, credential));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // No caller's token reaches MSAL: a cancellation here is HttpClient's timeout or the provider stopping.
            throw Failed(TokenErrors.FromNetwork(tenant.TenantId, tenant.ClientId, ex));
        }

        // MSAL's cache is emptied before each use (MsalApplications), so this is a fresh token from the endpoint.
        _cache.Set(tenant, resource, key.Application, result.AccessToken, result.ExpiresOn);
        _metrics?.TokenRequested();
        LogTokenAcquired(tenant.TenantId, resource, result.ExpiresOn, key.ForceRefresh);
        return new AccessTokenResult(result.AccessToken, result.ExpiresOn, fromCache: false);
    }

    public DateTimeOffset? GetCachedExpiry(TenantSettings tenant, string resource) => _cache.GetExpiry(tenant, resource);

    /// <summary>Cancels the token requests in flight; their callers see a transient failure.</summary>
    /// <remarks>The source is cancelled, never disposed: a late caller then fails as above instead of with ObjectDisposedException.</remarks>
    public void Dispose() => _stopping.Cancel();

    internal static string ScopeFor(string resource) => resource.TrimEnd('/') + "/.default";

    /// <summary>A request MSAL made (or tried to make) that failed: counted, logged, returned for throwing.</summary>
    private TokenAcquisitionException Failed(TokenAcquisitionException exception)
    {
        _metrics?.TokenRequested();
        _metrics?.TokenFailed(DefenderActivities.ErrorType(exception));
        LogTokenFailed(exception.TenantId, exception.ErrorCode, exception.AadstsCode, exception.IsTransient);
        return exception;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Token acquired for tenant {TenantId}, resource {Resource}, expires {ExpiresOn:O} (forced refresh: {ForceRefresh})")]
    private partial void LogTokenAcquired(string tenantId, string resource, DateTimeOffset expiresOn, bool forceRefresh);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Token request failed for tenant {TenantId}: {ErrorCode} {AadstsCode} (transient: {IsTransient})")]
    private partial void LogTokenFailed(string tenantId, string? errorCode, string? aadstsCode, bool isTransient);

    /// <summary>One MSAL application's token for one tenant and scope; a forced refresh never joins a plain request.</summary>
    private readonly record struct AcquisitionKey(
        IConfidentialClientApplication Application, string TenantId, string Scope, bool ForceRefresh);
}
