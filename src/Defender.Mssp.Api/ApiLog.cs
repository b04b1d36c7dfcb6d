namespace Defender.Mssp.Api;

/// <summary>The API's audit and diagnostic log lines. They name tenants, actions and callers — never a secret.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(2000, LogLevel.Information, "Tenant {TenantId} onboarded by {Actor}")]
    public static partial void TenantCreated(ILogger logger, string tenantId, string actor);

    [LoggerMessage(2001, LogLevel.Information, "Tenant {TenantId}: {Action} by {Actor} (version {Version})")]
    public static partial void TenantUpdated(ILogger logger, string tenantId, string action, long version, string actor);

    [LoggerMessage(2002, LogLevel.Information, "Tenant {TenantId} deleted by {Actor} (purge: {Purge})")]
    public static partial void TenantDeleted(ILogger logger, string tenantId, string actor, bool purge);

    [LoggerMessage(2003, LogLevel.Information, "Bulk onboarding by {Actor}: {Created} created, {Rejected} rejected (atomic: {Atomic})")]
    public static partial void BulkOnboarded(ILogger logger, string actor, int created, int rejected, bool atomic);

    [LoggerMessage(2004, LogLevel.Warning, "Bulk onboarding by {Actor}: rolled back {Count} tenants after tenant {TenantId} could not be created")]
    public static partial void BulkRolledBack(ILogger logger, string actor, int count, string tenantId);

    [LoggerMessage(2005, LogLevel.Warning, "Storage request failed ({Status} {ErrorCode}) for {Method} {Path}")]
    public static partial void StorageFailed(ILogger logger, Exception exception, int status, string? errorCode, string method, string path);

    [LoggerMessage(2006, LogLevel.Warning, "Rate limit reached by {Caller} on {Method} {Path}")]
    public static partial void RateLimited(ILogger logger, string caller, string method, string path);
}
