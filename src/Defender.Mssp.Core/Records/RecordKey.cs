namespace Defender.Mssp.Records;

/// <summary>Identifies one version of a record: the same id with a newer last-update time is a new version.</summary>
public readonly record struct RecordKey(string Id, DateTimeOffset LastUpdateTime);
