namespace Defender.Simulator.Diagnostics;

/// <summary>The simulator's log messages. Never carries a secret or a token, only ids and error codes.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(1, LogLevel.Information, "Tenant {TenantId} added or replaced with {AppCount} app(s)")]
    public static partial void TenantPut(ILogger logger, Guid tenantId, int appCount);

    [LoggerMessage(2, LogLevel.Information, "Tenant {TenantId} removed")]
    public static partial void TenantRemoved(ILogger logger, Guid tenantId);

    [LoggerMessage(3, LogLevel.Debug, "Token issued for tenant {TenantId}, client {ClientId}, resource {Resource}")]
    public static partial void TokenIssued(ILogger logger, string tenantId, string clientId, string resource);

    [LoggerMessage(4, LogLevel.Information, "Token request for tenant {TenantId}, client {ClientId} refused: {Error} AADSTS{ErrorCode}")]
    public static partial void TokenRefused(ILogger logger, string tenantId, string? clientId, string error, int errorCode);

    [LoggerMessage(5, LogLevel.Information, "API call {Path} refused with 401: {Reason}")]
    public static partial void ApiUnauthorized(ILogger logger, string path, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Isolation violation: token of tenant {TokenTenantId} sent with X-Mssp-Tenant-Id {HeaderTenantId} to {Path} (silo {SiloId})")]
    public static partial void IsolationViolation(ILogger logger, Guid tokenTenantId, string headerTenantId, string path, string? siloId);

    [LoggerMessage(7, LogLevel.Information, "Fault {Kind} ({Status}) injected for tenant {TenantId} on {Source}")]
    public static partial void FaultInjected(ILogger logger, string kind, int status, Guid tenantId, string source);

    [LoggerMessage(8, LogLevel.Information, "Generated a self-signed certificate for {Subject}; public PEM written to {Path}")]
    public static partial void CertificateGenerated(ILogger logger, string subject, string? path);

    [LoggerMessage(9, LogLevel.Information, "Generator of tenant {TenantId} stopped at {StopTime}")]
    public static partial void GeneratorStopped(ILogger logger, Guid tenantId, DateTimeOffset stopTime);

    [LoggerMessage(10, LogLevel.Information, "Tenant {TenantId}, client {ClientId} throttled on {Source} ({Limit})")]
    public static partial void Throttled(ILogger logger, Guid tenantId, string clientId, string source, string limit);
}
