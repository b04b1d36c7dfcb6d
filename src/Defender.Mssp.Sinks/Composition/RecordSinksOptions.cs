namespace Defender.Mssp.Sinks;

/// <summary>
/// The sinks records are delivered to, bound from <c>Sinks</c> by <see cref="RecordSinksConfiguration"/>:
/// named <see cref="Definitions"/>, the <see cref="Default"/> set every tenant gets, and per-tenant overrides.
/// </summary>
public sealed class RecordSinksOptions
{
    public const string SectionName = "Sinks";

    /// <summary>The JSON Lines sink configured under <c>Sinks:JsonLines</c>, defined always and the default set when none is named.</summary>
    public const string BuiltInJsonLines = "json-lines";

    /// <summary>Sink instances no tenant used for this long are closed (connections, clients).</summary>
    public static readonly TimeSpan DefaultIdleSinkLifetime = TimeSpan.FromMinutes(15);

    /// <summary>Every named sink, <see cref="BuiltInJsonLines"/> included.</summary>
    public Dictionary<string, SinkDefinition> Definitions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The names of the sinks every tenant delivers to unless its override replaces them.</summary>
    public List<string> Default { get; } = [];

    /// <summary>Per-tenant overrides by tenant id, naming sinks of <see cref="Definitions"/>.</summary>
    public Dictionary<string, TenantSinkOptions> Tenants { get; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan IdleSinkLifetime { get; set; } = DefaultIdleSinkLifetime;

    /// <summary>What could not be bound (an unknown sink type); reported by validation.</summary>
    internal List<string> BindingErrors { get; } = [];
}

/// <summary>A tenant's override in configuration: <c>Sinks:Tenants:{tenantId}:Mode</c> and <c>:Sinks</c>.</summary>
public sealed class TenantSinkOptions
{
    public SinkOverrideMode Mode { get; set; } = SinkOverrideMode.Add;

    /// <summary>Names of <see cref="RecordSinksOptions.Definitions"/>.</summary>
    public List<string> Sinks { get; } = [];
}
