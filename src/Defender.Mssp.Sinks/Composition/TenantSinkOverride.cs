namespace Defender.Mssp.Sinks;

/// <summary>How a tenant's own sinks combine with the default set.</summary>
public enum SinkOverrideMode
{
    /// <summary>The default sinks and the tenant's; a tenant sink with a default sink's name takes its place.</summary>
    Add,

    /// <summary>Only the tenant's sinks.</summary>
    Replace,
}

/// <summary>A tenant's sinks, as <see cref="ITenantSinkOverrides"/> supplies them.</summary>
public sealed record TenantSinkOverride(SinkOverrideMode Mode, IReadOnlyList<SinkDefinition> Sinks);
