using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Tokens;
using Microsoft.Extensions.Options;
using Names = Defender.Mssp.Defender.Telemetry.DefenderTelemetryNames;

namespace Defender.Mssp.Defender.Telemetry;

/// <summary>
/// How long the client certificates in use have left, on the <c>Defender.Mssp</c> meter, so an alert can fire weeks
/// before a certificate expires rather than when its tenant stops polling:
/// <list type="bullet">
/// <item><c>defender.credential.certificate.expires_in.min</c> (s): the shortest time to <c>NotAfter</c> among the
/// certificates this process uses, negative once one has expired. No tags; absent while no tenant uses a certificate.</item>
/// <item><c>defender.credential.certificate.expires_in</c> (s): the same per <c>defender.tenant.id</c>, only while
/// per-tenant series are on (<see cref="DefenderTelemetryOptions"/>).</item>
/// </list>
/// A tenant counts from its first token request with a certificate (cached tokens included, so every poll refreshes
/// it) until it moves to a secret or has asked for no token for <see cref="DefenderTokenOptions.AppIdleTimeout"/>
/// (it left this silo or was removed).
/// </summary>
public sealed class ClientCertificateMetrics
{
    private readonly DefenderTelemetryOptions _options;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _tenants = new(StringComparer.OrdinalIgnoreCase);

    public ClientCertificateMetrics(
        IMeterFactory meterFactory, IOptions<DefenderTelemetryOptions> options, IOptions<DefenderTokenOptions> tokenOptions, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _options = options.Value;
        _idleTimeout = tokenOptions.Value.AppIdleTimeout;
        _time = time;
        var meter = meterFactory.Create(Names.Product);
        meter.CreateObservableGauge("defender.credential.certificate.expires_in.min", ObserveMinimum, "s",
            "Time until the soonest-expiring client certificate in use expires (negative once expired).");
        meter.CreateObservableGauge("defender.credential.certificate.expires_in", ObservePerTenant, "s",
            "Time until each tenant's client certificate expires, by tenant (only with per-tenant series).");
    }

    /// <summary>Tenants whose certificate is being reported.</summary>
    public int TrackedTenants => _tenants.Count;

    public bool PerTenantSeriesEnabled => _options.PerTenantSeries switch
    {
        TenantSeriesMode.Always => true,
        TenantSeriesMode.Never => false,
        _ => _tenants.Count <= _options.PerTenantSeriesMaxTenants,
    };

    /// <summary>The tenant asked for a token with <paramref name="credential"/>: tracks its certificate, or forgets it.</summary>
    public void CredentialUsed(string tenantId, TenantClientCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        if (credential is ClientCertificateCredential certificate)
        {
            _tenants[tenantId] = new Entry(certificate.Certificate.NotAfter, _time.GetUtcNow());
        }
        else
        {
            _tenants.TryRemove(tenantId, out _);
        }
    }

    /// <summary>Stops reporting the tenant (removed, or moved to another silo).</summary>
    public void Forget(string tenantId) => _tenants.TryRemove(tenantId, out _);

    private IEnumerable<Measurement<double>> ObserveMinimum()
    {
        var now = _time.GetUtcNow();
        EvictIdle(now);
        var soonest = _tenants.Values.Select(entry => (DateTimeOffset?)entry.NotAfter).Min();
        return soonest is { } notAfter ? [new Measurement<double>((notAfter - now).TotalSeconds)] : [];
    }

    private IEnumerable<Measurement<double>> ObservePerTenant()
    {
        if (!PerTenantSeriesEnabled)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        EvictIdle(now);
        return _tenants.Select(tenant => new Measurement<double>(
            (tenant.Value.NotAfter - now).TotalSeconds, new KeyValuePair<string, object?>(Names.TenantId, tenant.Key))).ToList();
    }

    private void EvictIdle(DateTimeOffset now)
    {
        foreach (var (tenantId, entry) in _tenants)
        {
            if (now - entry.LastUsed > _idleTimeout)
            {
                _tenants.TryRemove(new KeyValuePair<string, Entry>(tenantId, entry));
            }
        }
    }

    private readonly record struct Entry(DateTimeOffset NotAfter, DateTimeOffset LastUsed);
}
