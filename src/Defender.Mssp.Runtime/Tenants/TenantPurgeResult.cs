namespace Defender.Mssp.Runtime.Tenants;

/// <summary>What a purge removed.</summary>
/// <param name="StateDeleted">The grain state blob existed and was deleted.</param>
/// <param name="DeliveredDataDeleted">The tenant's sink folder existed and was deleted.</param>
/// <param name="LeaseBroken">The owner had not released the state within the timeout, so its lease was broken.</param>
public sealed record TenantPurgeResult(bool StateDeleted, bool DeliveredDataDeleted, bool LeaseBroken);
