using Defender.Mssp.Tenants;
using Microsoft.Extensions.Logging;

namespace Defender.Mssp.Runtime.Tenants;

internal static partial class TenantCatalogLog
{
    [LoggerMessage(320, LogLevel.Error, "Tenant {TenantId} is left out of the catalogue: its document cannot be read")]
    public static partial void Unreadable(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(321, LogLevel.Error, "Tenant {TenantId} is left out of the catalogue: its secret cannot be unsealed (is the key ring shared with the API?)")]
    public static partial void Unsealable(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(322, LogLevel.Warning, "Tenant {TenantId} has no credential; its token requests will fail until one is set")]
    public static partial void NoCredential(ILogger logger, string tenantId);

    [LoggerMessage(323, LogLevel.Information, "Tenant {TenantId}: poll requested (request {Sequence})")]
    public static partial void PollRequested(ILogger logger, string tenantId, long sequence);

    [LoggerMessage(324, LogLevel.Error, "Tenant {TenantId}: a poll request handler failed")]
    public static partial void PollHandlerFailed(ILogger logger, string tenantId, Exception exception);

    [LoggerMessage(325, LogLevel.Error, "Tenant {TenantId} is left out of the catalogue: its client certificate unsealed but cannot be loaded ({Problem})")]
    public static partial void UnusableCertificate(ILogger logger, string tenantId, CertificateProblem problem);
}
