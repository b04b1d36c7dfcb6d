namespace Defender.Mssp.Sources;

/// <summary>The token endpoint refused or failed to issue a token. Never carries the secret.</summary>
public sealed class TokenAcquisitionException(
    string tenantId, string message, string? errorCode = null, string? aadstsCode = null, bool isTransient = false,
    Exception? inner = null)
    : Exception(message, inner)
{
    public string TenantId { get; } = tenantId;

    /// <summary>OAuth error code such as <c>invalid_client</c> or <c>unauthorized_client</c>.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>Entra ID's AADSTS code, e.g. <c>AADSTS7000215</c> (wrong secret).</summary>
    public string? AadstsCode { get; } = aadstsCode;

    /// <summary>True when the failure is worth retrying soon (timeouts, 5xx), false when an operator must act.</summary>
    public bool IsTransient { get; } = isTransient;
}
