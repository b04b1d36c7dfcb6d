using System.Net;

namespace Defender.Mssp.Sinks.Http;

/// <summary>What one request got back: read and disposed inside the attempt, so retries never hold a response open.</summary>
internal sealed record HttpAttempt(int StatusCode, string? ReasonPhrase, TimeSpan? RetryAfter, string? BodyExcerpt)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Worth another try: the server is overloaded, throttling or failing, not refusing the content.</summary>
    public bool IsTransient => StatusCode is 408 or 429 or >= 500;

    public string Status => $"{StatusCode} {ReasonPhrase ?? ((HttpStatusCode)StatusCode).ToString()}";
}
