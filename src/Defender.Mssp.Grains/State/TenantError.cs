namespace Defender.Mssp.Grains.State;

/// <summary>
/// The last error a tenant's poll ran into, fit for an operator's screen. <see cref="Message"/> comes from exceptions
/// whose contract is never to carry a secret or token (<c>TokenAcquisitionException</c>, <c>DefenderApiException</c>).
/// </summary>
public sealed class TenantError
{
    public string Message { get; set; } = "";

    /// <summary>A stable code: the AADSTS or OAuth code, the API's error code, <c>http_403</c>, <c>unknown_source</c>…</summary>
    public string Code { get; set; } = "";

    /// <summary>The source that failed; null for tenant-wide failures such as a checkpoint that could not be saved.</summary>
    public string? Source { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Same failure (code, source and message), whenever it happened.</summary>
    public bool IsSameFailureAs(TenantError? other) =>
        other is not null
        && string.Equals(Code, other.Code, StringComparison.Ordinal)
        && string.Equals(Source, other.Source, StringComparison.Ordinal)
        && string.Equals(Message, other.Message, StringComparison.Ordinal);
}
