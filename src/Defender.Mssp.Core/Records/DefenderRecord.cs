namespace Defender.Mssp.Records;

/// <summary>
/// One version of a record (incident or alert) exactly as a Defender API served it.
/// </summary>
/// <param name="Id">The record's id in its source (incident id, alert id).</param>
/// <param name="LastUpdateTime">The source's last-update time of this version; the cursor field.</param>
/// <param name="Raw">The record's UTF-8 JSON as served, kept byte for byte so nothing the API said is lost.</param>
public sealed record DefenderRecord(string Id, DateTimeOffset LastUpdateTime, ReadOnlyMemory<byte> Raw)
{
    /// <summary>The (id, last-update time) key that identifies this version.</summary>
    public RecordKey Key => new(Id, LastUpdateTime);
}
