namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// What a silo says about itself in its heartbeat blob (<c>silos/{SiloId}.json</c>), rewritten every heartbeat
/// interval. Others count it live while <see cref="LastHeartbeat"/> is fresh.
/// </summary>
public sealed record SiloHeartbeat
{
    public required string SiloId { get; init; }

    /// <summary>Where the silo can be reached, if it said.</summary>
    public string? Endpoint { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the silo wrote this heartbeat, by its own clock.</summary>
    public DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>How many tenants the silo owned when it wrote this.</summary>
    public int OwnedTenants { get; init; }

    public string? Version { get; init; }
}
