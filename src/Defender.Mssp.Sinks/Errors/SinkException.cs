namespace Defender.Mssp.Sinks;

/// <summary>
/// A sink could not acknowledge a batch. Messages name the sink and what went wrong (a status code, a host and port),
/// never a token, header value or password: they end up in logs and in the tenant's status.
/// </summary>
public abstract class SinkException : Exception
{
    protected SinkException(string sinkName, string message, Exception? innerException)
        : base(message, innerException) => SinkName = sinkName;

    /// <summary>The configured name of the sink.</summary>
    public string SinkName { get; }

    /// <summary>True when delivering the same batch later may succeed without anyone changing anything.</summary>
    public abstract bool IsTransient { get; }
}
