namespace Defender.Mssp.Sinks;

/// <summary>
/// The destination refused the batch in a way retrying will not fix (HTTP 4xx other than 408/429, an untrusted TLS
/// certificate, a configuration error). The sink does not retry; the tenant stops advancing until an operator acts.
/// </summary>
public sealed class SinkFaultException(string sinkName, string message, Exception? innerException = null, int? statusCode = null)
    : SinkException(sinkName, message, innerException)
{
    public override bool IsTransient => false;

    /// <summary>The HTTP status the destination answered, for an HTTP sink.</summary>
    public int? StatusCode { get; } = statusCode;
}
