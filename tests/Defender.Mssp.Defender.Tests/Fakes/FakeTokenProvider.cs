using System.Collections.Concurrent;
using Defender.Mssp.Defender.Tokens;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Tests.Fakes;

/// <summary>Issues one stable token per (tenant, resource) that changes only when a refresh is forced.</summary>
internal sealed class FakeTokenProvider(TimeProvider timeProvider) : IAccessTokenProvider
{
    private readonly ConcurrentDictionary<(string Tenant, string Resource), (int Version, DateTimeOffset ExpiresOn)> _tokens = new();

    public ConcurrentQueue<(string TenantId, string Resource, bool ForceRefresh)> Calls { get; } = new();

    public int ForcedRefreshes => Calls.Count(c => c.ForceRefresh);

    public Task<AccessTokenResult> GetTokenAsync(
        TenantSettings tenant, string resource, bool forceRefresh, CancellationToken cancellationToken)
    {
        Calls.Enqueue((tenant.TenantId, resource, forceRefresh));
        var expiresOn = timeProvider.GetUtcNow().AddHours(1);
        var token = _tokens.AddOrUpdate((tenant.TenantId, resource),
            _ => (1, expiresOn),
            (_, current) => forceRefresh ? (current.Version + 1, expiresOn) : current);
        return Task.FromResult(new AccessTokenResult(TokenText(tenant.TenantId, token.Version), token.ExpiresOn, fromCache: false));
    }

    public DateTimeOffset? GetCachedExpiry(TenantSettings tenant, string resource) =>
        _tokens.TryGetValue((tenant.TenantId, resource), out var token) ? token.ExpiresOn : null;

    public static string TokenText(string tenantId, int version) => $"token-{tenantId}-v{version}";
}
