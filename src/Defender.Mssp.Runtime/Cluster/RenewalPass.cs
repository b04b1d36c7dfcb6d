namespace Defender.Mssp.Runtime.Cluster;

/// <summary>What one renewal pass did: leases renewed, skipped as renewed recently, found not held, failed (retried soon).</summary>
internal sealed record RenewalPass(int Renewed, int Skipped, int NotHeld, int Failed)
{
    public static RenewalPass Of(IReadOnlyCollection<LeaseRenewal?> outcomes) => new(
        outcomes.Count(outcome => outcome == LeaseRenewal.Renewed),
        outcomes.Count(outcome => outcome == LeaseRenewal.NotDue),
        outcomes.Count(outcome => outcome == LeaseRenewal.NotHeld),
        outcomes.Count(outcome => outcome is null));
}
