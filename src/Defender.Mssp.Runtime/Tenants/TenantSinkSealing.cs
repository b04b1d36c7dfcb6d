using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>Between a tenant's sinks in clear (<see cref="TenantSinks"/>) and as stored (<see cref="StoredSinks"/>, secrets sealed).</summary>
public static class TenantSinkSealing
{
    /// <summary>The stored form of <paramref name="sinks"/>, every secret sealed for <paramref name="tenantId"/>.</summary>
    public static StoredSinks Seal(this TenantSinks sinks, string tenantId, TenantSecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(protector);
        return new StoredSinks
        {
            Mode = sinks.Mode,
            Sinks = sinks.Sinks.Select(sink => new StoredSink
            {
                Name = sink.Name,
                Kind = sink.Kind,
                Folder = sink.Folder,
                Url = sink.Url,
                SealedHeaders = sink.Headers.Count == 0
                    ? null
                    : sink.Headers.ToDictionary(header => header.Key, header => protector.SealSinkSecret(tenantId, header.Value), StringComparer.OrdinalIgnoreCase),
                SealedToken = sink.Token is { } token ? protector.SealSinkSecret(tenantId, token) : null,
                Index = sink.Index,
                SourceType = sink.SourceType,
                Gzip = sink.Gzip,
                Host = sink.Host,
                Port = sink.Port,
                Format = sink.Format,
                Tls = sink.Tls,
            }).ToList(),
        };
    }

    /// <summary>The sinks <paramref name="stored"/> describes, secrets unsealed.</summary>
    /// <exception cref="SecretUnsealException">A secret was not sealed for this tenant or with this key ring.</exception>
    public static TenantSinks Unseal(this StoredSinks stored, string tenantId, TenantSecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(protector);
        return new TenantSinks(stored.Mode, stored.Sinks.Select(sink => new TenantSink
        {
            Name = sink.Name,
            Kind = sink.Kind,
            Folder = sink.Folder,
            Url = sink.Url,
            Headers = (sink.SealedHeaders ?? new Dictionary<string, string>())
                .ToDictionary(header => header.Key, header => protector.UnsealSinkSecret(tenantId, header.Value), StringComparer.OrdinalIgnoreCase),
            Token = sink.SealedToken is { } token ? protector.UnsealSinkSecret(tenantId, token) : null,
            Index = sink.Index,
            SourceType = sink.SourceType,
            Gzip = sink.Gzip,
            Host = sink.Host,
            Port = sink.Port,
            Format = sink.Format,
            Tls = sink.Tls,
        }).ToList());
    }
}
