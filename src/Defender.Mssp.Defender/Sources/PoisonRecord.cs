namespace Defender.Mssp.Defender.Sources;

/// <summary>A record of a page that could not be parsed at all (no id, no usable timestamp): its bytes as served and why.</summary>
internal sealed record PoisonRecord(ReadOnlyMemory<byte> Raw, string Reason);
