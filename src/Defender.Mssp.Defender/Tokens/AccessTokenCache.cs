using System.Collections.Concurrent;
using System.Text;
using Defender.Mssp.Tenants;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// The access tokens of every tenant: one entry per (tenant, client id, resource) holding the token, its expiry and
/// the MSAL application that got it. It replaces MSAL's own app token cache (which <see cref="MsalApplications"/>
/// empties before each use) because MSAL keeps about 3 KB of bookkeeping per token and a partition dictionary per
/// tenant beside the token itself; at 10,000 idle tenants that was a tenth of the silo's heap (issue 9).
/// <para>
/// A token is served until <see cref="RenewBefore"/> ahead of its expiry, as MSAL serves its own. A token got with
/// another application (a rotated credential, a moved cloud) is not served: the entry is replaced by the next
/// acquisition. Entries of tenants gone quiet go when read after expiry, and at the latest are replaced.
/// </para>
/// </summary>
internal sealed class AccessTokenCache(TimeProvider timeProvider)
{
    /// <summary>How long before expiry a token is renewed rather than served (MSAL's own margin).</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    /// <summary>Every this many tokens stored, expired entries are swept (those of tenants removed or gone quiet).</summary>
    internal const int SweepEvery = 1_024;

    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private int _stored;

    /// <summary>Tokens held, fresh or not.</summary>
    public int Count => _entries.Count;

    /// <summary>The token for <paramref name="tenant"/> and <paramref name="resource"/> got with <paramref name="application"/>, while fresh.</summary>
    public AccessTokenResult? TryGet(TenantSettings tenant, string resource, IConfidentialClientApplication application) =>
        _entries.TryGetValue(Key.For(tenant, resource), out var entry)
        && ReferenceEquals(entry.Application, application)
        && timeProvider.GetUtcNow() < entry.ExpiresOn - RenewBefore
            ? new AccessTokenResult(Encoding.UTF8.GetString(entry.Token), entry.ExpiresOn, fromCache: true)
            : null;

    public void Set(TenantSettings tenant, string resource, IConfidentialClientApplication application, string token, DateTimeOffset expiresOn)
    {
        _entries[Key.For(tenant, resource)] = new Entry(application, Encoding.UTF8.GetBytes(token), expiresOn);
        if (Interlocked.Increment(ref _stored) % SweepEvery == 0)
        {
            SweepExpired();
        }
    }

    /// <summary>Drops expired tokens nobody asked for again: a removed tenant's do not stay for the life of the process.</summary>
    private void SweepExpired()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var entry in _entries)
        {
            if (entry.Value.ExpiresOn <= now)
            {
                _entries.TryRemove(entry);
            }
        }
    }

    /// <summary>When the latest token for <paramref name="tenant"/> and <paramref name="resource"/> expires, while it has not.</summary>
    public DateTimeOffset? GetExpiry(TenantSettings tenant, string resource)
    {
        var key = Key.For(tenant, resource);
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresOn > timeProvider.GetUtcNow())
        {
            return entry.ExpiresOn;
        }

        _entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
        return null;
    }

    private readonly record struct Key(string TenantId, string ClientId, string Resource)
    {
        // ToLowerInvariant and TrimEnd return the string itself when nothing changes: no copy per tenant.
        public static Key For(TenantSettings tenant, string resource) =>
            new(tenant.TenantId.ToLowerInvariant(), tenant.ClientId.ToLowerInvariant(), resource.TrimEnd('/'));
    }

    /// <summary>
    /// Replaced whole, never changed, and compared by reference when removed. The token is kept as UTF-8 (a JWT is
    /// ASCII): half the bytes of a string held for an hour, for a short-lived string per request. Not a record: its
    /// text would print the token.
    /// </summary>
    private sealed class Entry(IConfidentialClientApplication application, byte[] token, DateTimeOffset expiresOn)
    {
        public IConfidentialClientApplication Application { get; } = application;

        public byte[] Token { get; } = token;

        public DateTimeOffset ExpiresOn { get; } = expiresOn;
    }
}
