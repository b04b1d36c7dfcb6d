namespace Defender.Mssp.Sinks;

/// <summary>
/// Which sinks are failing, overall and for a tenant, as the fan-out last saw them. The grain (or the status the API
/// shows) reads <see cref="GetFailingSinks"/> to show a tenant as <c>SinkFailing</c> and name the sinks.
/// </summary>
public interface ISinkHealth
{
    /// <summary>Every sink that has taken or refused a delivery since the process started.</summary>
    IReadOnlyList<SinkStatus> GetSinks();

    /// <summary>The sinks of the tenant whose last delivery for it failed; empty when all acknowledged.</summary>
    IReadOnlyList<TenantSinkStatus> GetFailingSinks(string tenantId);
}

/// <summary>A sink's state across tenants.</summary>
/// <param name="Healthy">No tenant's last delivery to this sink failed.</param>
/// <param name="FailingTenants">How many tenants' last delivery to this sink failed.</param>
/// <param name="LastError">The last failure's message (no secrets), or null.</param>
public sealed record SinkStatus(
    string Name, string Kind, bool Healthy, int FailingTenants, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastError);

/// <summary>A sink that is failing for one tenant.</summary>
/// <param name="IsTransient">True when the failure may heal by itself (an outage); false when an operator must act (a 4xx refusal, a bad certificate).</param>
public sealed record TenantSinkStatus(
    string TenantId, string SinkName, string Kind, int ConsecutiveFailures, DateTimeOffset FailingSince, DateTimeOffset LastFailureAt,
    string LastError, bool IsTransient);
