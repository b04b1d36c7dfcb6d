namespace Defender.Mssp.Sinks;

/// <summary>One sink's failure within a fan-out delivery.</summary>
public sealed record SinkFailure(string SinkName, string SinkKind, Exception Exception)
{
    /// <summary>True when a later attempt may succeed without anyone acting (see <see cref="IsTransientFailure"/>).</summary>
    public bool IsTransient => IsTransientFailure(Exception);

    /// <summary>
    /// A sink's own verdict when it gives one (<see cref="SinkException.IsTransient"/>); an I/O error (disk full, a
    /// share gone) may heal; anything else — bad settings, a record that is not JSON, no permission — needs an operator.
    /// </summary>
    public static bool IsTransientFailure(Exception exception) => exception switch
    {
        SinkException sink => sink.IsTransient,
        IOException => true,
        _ => false,
    };
}
