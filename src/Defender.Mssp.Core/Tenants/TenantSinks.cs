namespace Defender.Mssp.Tenants;

/// <summary>How a tenant's own sinks combine with the default sinks.</summary>
public enum TenantSinkMode
{
    /// <summary>The default sinks and the tenant's; a tenant sink named like a default sink takes its place.</summary>
    Add,

    /// <summary>Only the tenant's sinks.</summary>
    Replace,
}

/// <summary>
/// A tenant's own sinks as the management API stores them with its settings (secrets unsealed, never printed): added
/// to the default sinks or replacing them. Null on <see cref="TenantSettings.Sinks"/> means the defaults.
/// </summary>
/// <remarks>Compared by value, lists included, so a re-read of unchanged settings is not taken for a change.</remarks>
public sealed record TenantSinks(TenantSinkMode Mode, IReadOnlyList<TenantSink> Sinks)
{
    public bool Equals(TenantSinks? other) =>
        other is not null && Mode == other.Mode && Sinks.SequenceEqual(other.Sinks);

    public override int GetHashCode() => HashCode.Combine(Mode, Sinks.Count);
}
