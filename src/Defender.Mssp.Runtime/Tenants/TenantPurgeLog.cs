using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Tenants;

internal static partial class TenantPurgeLog
{
    [LoggerMessage(330, LogLevel.Warning, "Tenant {TenantId}: the owner did not release {BlobName} in time; its lease was broken")]
    public static partial void LeaseBroken(ILogger logger, string tenantId, string blobName);

    [LoggerMessage(331, LogLevel.Information, "Tenant {TenantId} purged (state deleted: {StateDeleted}, delivered data deleted: {DataDeleted})")]
    public static partial void Purged(ILogger logger, string tenantId, bool stateDeleted, bool dataDeleted);
}
