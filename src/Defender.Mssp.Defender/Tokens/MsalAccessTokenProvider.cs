using System.Collections.Concurrent;
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
/// <see cref="IAccessTokenProvider"/> on MSAL's confidential client (client credentials flow). Tokens come from MSAL's
/// in-memory app token cache until shortly before expiry; the token endpoint is
/// <c>{authority host of the tenant's cloud}/{tenantId}/oauth2/v2.0/token</c> and nothing else is called (instance
/// discovery is off unless <see cref="DefenderTokenOptions.InstanceDiscovery"/> is set).
/// </summary>
public sealed partial class MsalAccessTokenProvider : IAccessTokenProvider
{
    private readonly IOptions<DefenderEndpointsOptions> _endpoints;
    private readonly ITenantCredentialResolver _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<MsalAccessTokenProvider> _logger;
    private readonly MsalApplications _applications;
    private readonly DefenderClientMetrics? _metrics;
    private readonly ClientCertificateMetrics? _certificateMetrics;
    private readonly ConcurrentDictionary<ExpiryKey, DateTimeOffset> _expiries = new();

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

        AuthenticationResult result;
        try
        {
            result = await application
                .AcquireTokenForClient([ScopeFor(resource)])
                .WithTenantId(tenant.TenantId)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)
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
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw Failed(TokenErrors.FromNetwork(tenant.TenantId, tenant.ClientId, ex));
        }

        var fromCache = result.AuthenticationResultMetadata?.TokenSource == TokenSource.Cache;
        _expiries[ExpiryKey.For(tenant, resource)] = result.ExpiresOn;
        if (!fromCache)
        {
            _metrics?.TokenRequested();
            LogTokenAcquired(tenant.TenantId, resource, result.ExpiresOn, forceRefresh);
        }

        return new AccessTokenResult(result.AccessToken, result.ExpiresOn, fromCache);
    }

    public DateTimeOffset? GetCachedExpiry(TenantSettings tenant, string resource)
    {
        var key = ExpiryKey.For(tenant, resource);
        if (!_expiries.TryGetValue(key, out var expiresOn))
        {
            return null;
        }

        if (expiresOn > _timeProvider.GetUtcNow())
        {
            return expiresOn;
        }

        _expiries.TryRemove(new KeyValuePair<ExpiryKey, DateTimeOffset>(key, expiresOn));
        return null;
    }

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

    private readonly record struct ExpiryKey(string TenantId, string ClientId, string Resource)
    {
        public static ExpiryKey For(TenantSettings tenant, string resource) =>
            new(tenant.TenantId.ToLowerInvariant(), tenant.ClientId.ToLowerInvariant(), resource.TrimEnd('/'));
    }
}
