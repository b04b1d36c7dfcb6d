using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// Access tokens for a tenant's API calls. Tokens are cached until shortly before they expire, so a tenant costs one
/// token request per token lifetime and resource, however often it polls.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>A token for <paramref name="resource"/> (scope <c>{resource}/.default</c>) in the tenant's own tenant.</summary>
    /// <param name="forceRefresh">Skip the cache: the API rejected the cached token (401).</param>
    /// <exception cref="TokenAcquisitionException">The token endpoint refused or could not be reached.</exception>
    Task<AccessTokenResult> GetTokenAsync(
        TenantSettings tenant, string resource, bool forceRefresh, CancellationToken cancellationToken);

    /// <summary>When the cached token for the tenant and resource expires; null when none is cached (or it has expired).</summary>
    DateTimeOffset? GetCachedExpiry(TenantSettings tenant, string resource);
}
