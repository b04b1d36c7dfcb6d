using Azure;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>One row of the membership table as read: the heartbeat, the blob version it was read at, and liveness.</summary>
public sealed record SiloEntry(SiloHeartbeat Heartbeat, ETag ETag, bool IsLive);
