using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Tenants;

internal static partial class TenantStoreLog
{
    [LoggerMessage(300, LogLevel.Information, "Tenant {TenantId} created ({BlobName}, version {Version})")]
    public static partial void Created(ILogger logger, string tenantId, string blobName, long version);

    [LoggerMessage(301, LogLevel.Information, "Tenant {TenantId} updated ({BlobName}, version {Version})")]
    public static partial void Replaced(ILogger logger, string tenantId, string blobName, long version);

    [LoggerMessage(302, LogLevel.Information, "Tenant {TenantId} deleted ({BlobName})")]
    public static partial void Deleted(ILogger logger, string tenantId, string blobName);

    [LoggerMessage(303, LogLevel.Warning, "Write of {BlobName} (tenant {TenantId}) rejected: it is no longer at ETag {ExpectedETag}")]
    public static partial void Conflict(ILogger logger, string tenantId, string blobName, string? expectedETag);
}
