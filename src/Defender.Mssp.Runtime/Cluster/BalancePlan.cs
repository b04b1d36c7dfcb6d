using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>What one balancing round of one silo does.</summary>
/// <param name="FairShare">⌈tenants ÷ live silos⌉.</param>
/// <param name="ClaimCount">How many more tenants this silo should own.</param>
/// <param name="ClaimCandidates">Unleased tenants to try, in random order, until <paramref name="ClaimCount"/> are won.</param>
/// <param name="Release">Owned tenants beyond the fair share, chosen at random, to hand over.</param>
/// <param name="Remove">Owned tenants no longer in the catalogue, to stop and release.</param>
/// <param name="Updates">Owned tenants whose settings changed.</param>
internal sealed record BalancePlan(
    int FairShare,
    int ClaimCount,
    IReadOnlyList<TenantSettings> ClaimCandidates,
    IReadOnlyList<string> Release,
    IReadOnlyList<string> Remove,
    IReadOnlyList<TenantSettings> Updates);
