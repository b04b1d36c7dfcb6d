namespace Defender.Mssp.Runtime.Tenants;

/// <summary>A tenant document was to be created, but one with the same tenant id exists.</summary>
public sealed class TenantAlreadyExistsException(string tenantId, Exception? innerException = null)
    : Exception($"Tenant '{tenantId}' already exists.", innerException)
{
    public string TenantId { get; } = tenantId;
}

/// <summary>The tenant document a change was based on is no longer the stored one (its ETag moved on).</summary>
public sealed class TenantConcurrencyException(string tenantId, Exception? innerException = null)
    : Exception($"Tenant '{tenantId}' was changed by another writer since it was read.", innerException)
{
    public string TenantId { get; } = tenantId;
}

/// <summary>There is no document for the tenant.</summary>
public sealed class TenantNotFoundException(string tenantId, Exception? innerException = null)
    : Exception($"Tenant '{tenantId}' does not exist.", innerException)
{
    public string TenantId { get; } = tenantId;
}

/// <summary>A tenant document exists but cannot be read (not JSON, or a schema version this build does not know).</summary>
public sealed class UnreadableTenantDocumentException(string blobName, string reason, Exception? innerException = null)
    : Exception($"Tenant document '{blobName}' cannot be read: {reason}", innerException)
{
    public string BlobName { get; } = blobName;
}
