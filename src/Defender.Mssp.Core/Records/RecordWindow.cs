namespace Defender.Mssp.Records;

/// <summary>A query window over a source's time field: <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public readonly record struct RecordWindow(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;

    public bool Contains(DateTimeOffset time) => time >= From && time < To;
}
