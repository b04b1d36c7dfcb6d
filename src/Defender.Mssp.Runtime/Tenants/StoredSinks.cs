using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>A tenant's own sinks as stored in its document: <see cref="TenantSinks"/> with every secret sealed.</summary>
public sealed record StoredSinks
{
    public TenantSinkMode Mode { get; init; } = TenantSinkMode.Add;

    public IReadOnlyList<StoredSink> Sinks { get; init; } = [];
}

/// <summary>
/// One sink as stored: a <see cref="TenantSink"/> whose token and header values are sealed (see
/// <see cref="DataProtection.TenantSecretProtector.SealSinkSecret"/>), never in clear.
/// </summary>
public sealed record StoredSink
{
    public required string Name { get; init; }

    public TenantSinkKind Kind { get; init; } = TenantSinkKind.Named;

    public string? Folder { get; init; }

    public Uri? Url { get; init; }

    /// <summary>Header names and their sealed values.</summary>
    public IReadOnlyDictionary<string, string>? SealedHeaders { get; init; }

    public string? SealedToken { get; init; }

    public string? Index { get; init; }

    public string? SourceType { get; init; }

    public bool Gzip { get; init; }

    public string? Host { get; init; }

    public int? Port { get; init; }

    public string? Format { get; init; }

    public bool Tls { get; init; }
}
