namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// The answer to a bulk onboarding that stored at least one tenant: what was created and which rows were not (by
/// line number in the request body, with the reasons by field).
/// </summary>
public sealed record BulkOnboardResult(IReadOnlyList<BulkCreated> Created, IReadOnlyList<BulkRowError> Rejected);

/// <summary>A row that became a tenant.</summary>
public sealed record BulkCreated(int Line, string TenantId, long Version);

/// <summary>A row that did not: <see cref="Status"/> 400 for invalid values, 409 for a tenant that exists.</summary>
public sealed record BulkRowError(int Line, string? TenantId, int Status, IReadOnlyDictionary<string, string[]> Errors);
