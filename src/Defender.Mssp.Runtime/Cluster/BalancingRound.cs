namespace Defender.Mssp.Runtime.Cluster;

/// <summary>What a balancing round saw and did.</summary>
internal sealed record BalancingRound(int LiveSilos, int Tenants, int FairShare, int Claimed, int Released, int Removed, int Owned);
