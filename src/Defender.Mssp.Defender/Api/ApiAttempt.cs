using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Api;

/// <summary>
/// What one HTTP attempt came to: the parsed page on success, else the status, the service's error and how long it
/// asked us to wait. The response itself is disposed inside the attempt, so retries never leak connections.
/// </summary>
internal sealed record ApiAttempt(int StatusCode, IReadOnlyList<DefenderRecord>? Records, ApiError? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => Records is not null;

    public static ApiAttempt Success(int statusCode, IReadOnlyList<DefenderRecord> records) => new(statusCode, records, null, null);

    public static ApiAttempt Failure(int statusCode, ApiError error, TimeSpan? retryAfter) => new(statusCode, null, error, retryAfter);
}
