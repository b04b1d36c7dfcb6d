namespace Defender.Mssp.Tenants;

/// <summary>What a <see cref="TenantSink"/> is.</summary>
public enum TenantSinkKind
{
    /// <summary>A sink configured globally (<c>Sinks:Definitions:{name}</c>), referred to by <see cref="TenantSink.Name"/>.</summary>
    Named,

    JsonLines,
    Csv,

    /// <summary>Batches of envelopes posted as a JSON array.</summary>
    Http,

    /// <summary>Splunk HTTP Event Collector.</summary>
    SplunkHec,
    Syslog,
}

/// <summary>
/// One sink of a tenant: a reference to a globally configured sink (<see cref="TenantSinkKind.Named"/>, only
/// <see cref="Name"/> set) or a definition of its own. Secrets (<see cref="Token"/>, <see cref="Headers"/>' values)
/// are <see cref="Secret"/>s and never print themselves.
/// </summary>
public sealed record TenantSink
{
    /// <summary>The sink's name: a global sink's, or the tenant's own (in logs, metrics and health).</summary>
    public required string Name { get; init; }

    public TenantSinkKind Kind { get; init; } = TenantSinkKind.Named;

    /// <summary>File sinks: the folder, relative to the silo's root for tenants' file sinks.</summary>
    public string? Folder { get; init; }

    /// <summary>HTTP sinks: where batches are posted.</summary>
    public Uri? Url { get; init; }

    /// <summary>HTTP sinks: extra request headers; their values are treated as secrets (they usually carry credentials).</summary>
    public IReadOnlyDictionary<string, Secret> Headers { get; init; } = new Dictionary<string, Secret>();

    /// <summary>Splunk HEC: the token.</summary>
    public Secret? Token { get; init; }

    /// <summary>Splunk HEC: the index; null for the token's default.</summary>
    public string? Index { get; init; }

    /// <summary>Splunk HEC: the sourcetype (<c>{source}</c> stands for the record's source); null for the default.</summary>
    public string? SourceType { get; init; }

    /// <summary>HTTP sinks: compress request bodies.</summary>
    public bool Gzip { get; init; }

    /// <summary>Syslog: the collector's host.</summary>
    public string? Host { get; init; }

    /// <summary>Syslog: the collector's port; null for 514 (TCP) or 6514 (TLS).</summary>
    public int? Port { get; init; }

    /// <summary>Syslog: <c>cef</c> or <c>json</c>; null for CEF.</summary>
    public string? Format { get; init; }

    /// <summary>Syslog: over TLS rather than plain TCP.</summary>
    public bool Tls { get; init; }

    public bool Equals(TenantSink? other) =>
        other is not null
        && Name == other.Name && Kind == other.Kind && Folder == other.Folder && Url == other.Url && Equals(Token, other.Token)
        && Index == other.Index && SourceType == other.SourceType && Gzip == other.Gzip && Host == other.Host && Port == other.Port
        && Format == other.Format && Tls == other.Tls
        && Headers.Count == other.Headers.Count
        && Headers.All(header => other.Headers.TryGetValue(header.Key, out var value) && header.Value.Equals(value));

    public override int GetHashCode() => HashCode.Combine(Name, Kind, Folder, Url, Host, Port);
}
