namespace Defender.Mssp.Sinks;

/// <summary>The kinds of sink a <see cref="SinkDefinition"/> can describe.</summary>
public enum SinkType
{
    JsonLines,
    Csv,
    Http,
    Syslog,
}
