namespace Defender.Mssp.Sources;

/// <summary>A Defender API answered with an error. Never carries a token or secret.</summary>
public sealed class DefenderApiException(
    string source, int statusCode, string message, string? errorCode = null, TimeSpan? retryAfter = null,
    string? requestId = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string SourceName { get; } = source;

    /// <summary>HTTP status code; 0 when no response arrived (connection failure, timeout, unreadable body).</summary>
    public int StatusCode { get; } = statusCode;

    public string? ErrorCode { get; } = errorCode;

    /// <summary>How long the service asked the caller to wait (429 Retry-After), if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>The service's correlation / request id, worth logging.</summary>
    public string? RequestId { get; } = requestId;
}
