using System.Collections.Concurrent;
using Defender.Mssp.Defender.Configuration;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// One MSAL confidential client application per (authority host, client id, credential fingerprint). Each serves
/// any number of tenants: the tenant is chosen per request. MSAL's own app token cache is kept empty; tokens live in
/// <see cref="AccessTokenCache"/>, so tenants sharing a multi-tenant app share nothing but the application object.
/// </summary>
internal sealed class MsalApplications(
    DefenderTokenOptions options, IMsalHttpClientFactory httpClientFactory, TimeProvider timeProvider)
{
    /// <summary>
    /// MSAL needs a tenant in the application's authority; "organizations" is replaced by the request's
    /// <c>WithTenantId</c>, so the token endpoint becomes <c>{host}/{tenant}/oauth2/v2.0/token</c>.
    /// </summary>
    private const string ApplicationTenant = "organizations";

    private readonly ConcurrentDictionary<Key, Entry> _applications = new();

    public int Count => _applications.Count;

    public IConfidentialClientApplication Get(Uri authorityHost, string clientId, TenantClientCredential credential)
    {
        var key = new Key(
            authorityHost.GetLeftPart(UriPartial.Authority).ToLowerInvariant(), clientId.ToLowerInvariant(), credential.Fingerprint);
        var now = timeProvider.GetUtcNow().UtcTicks;
        if (_applications.TryGetValue(key, out var existing))
        {
            existing.Touch(now);
            return existing.Application.Value;
        }

        var added = _applications.GetOrAdd(key, k => new Entry(new(() => Build(k, credential)), now));
        added.Touch(now);
        EvictIdle(now);
        return added.Application.Value;
    }

    private IConfidentialClientApplication Build(Key key, TenantClientCredential credential)
    {
        var builder = ConfidentialClientApplicationBuilder.Create(key.ClientId)
            .WithAuthority(new Uri(new Uri(key.AuthorityHost + "/"), ApplicationTenant), validateAuthority: options.InstanceDiscovery)
            .WithInstanceDiscovery(options.InstanceDiscovery)
            .WithHttpClientFactory(httpClientFactory, options.RetryOnceOn5xx);
        var application = credential.ApplyTo(builder).Build();
        // AccessTokenCache keeps the tokens, compactly; MSAL's copy (about 3 KB of bookkeeping per token and a
        // dictionary per tenant) is emptied before each read or write, so at most the last token stays in it.
        application.AppTokenCache.SetBeforeAccess(static args => args.TokenCache.DeserializeMsalV3(null, shouldClearExistingCache: true));
        return application;
    }

    private void EvictIdle(long now)
    {
        foreach (var (key, entry) in _applications)
        {
            if (TimeSpan.FromTicks(now - entry.LastUsed) > options.AppIdleTimeout)
            {
                _applications.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
            }
        }
    }

    private readonly record struct Key(string AuthorityHost, string ClientId, string CredentialFingerprint);

    private sealed class Entry(Lazy<IConfidentialClientApplication> application, long lastUsed)
    {
        private long _lastUsed = lastUsed;

        public Lazy<IConfidentialClientApplication> Application { get; } = application;

        public long LastUsed => Interlocked.Read(ref _lastUsed);

        public void Touch(long now) => Interlocked.Exchange(ref _lastUsed, now);
    }
}
