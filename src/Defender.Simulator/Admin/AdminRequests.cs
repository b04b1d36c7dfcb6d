namespace Defender.Simulator.Admin;

/// <summary>Body of <c>POST /simulator/tenants/{id}/generator/stop</c>: when to stop (now when absent).</summary>
public sealed record StopGeneratorRequest(DateTimeOffset? At);

/// <summary>Answer of the stop command: the stop time in force.</summary>
public sealed record StopGeneratorResponse(DateTimeOffset StopTime);

/// <summary>Body of <c>PUT .../apps/{clientId}/consent</c>.</summary>
public sealed record ConsentRequest(bool Granted);

/// <summary>Answer of adding a secret: the key id to revoke it by.</summary>
public sealed record AddSecretResponse(Guid KeyId);

/// <summary>A tenant's call log: the most recent calls, and how many there were in all.</summary>
public sealed record CallLogView(Guid TenantId, long Total, IReadOnlyList<Diagnostics.CallLogEntry> Calls);

/// <summary>Everything the simulator counts: global counters and every tenant's.</summary>
public sealed record SimulatorStatsView(Tenants.GlobalStatsView Global, IReadOnlyList<Diagnostics.TenantStatsView> Tenants);

/// <summary>The simulator's clock and size.</summary>
public sealed record SimulatorInfo(DateTimeOffset Now, int Tenants);
