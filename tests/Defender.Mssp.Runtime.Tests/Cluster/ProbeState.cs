namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>A stand-in grain state: who last saved it, and how often it was saved.</summary>
public sealed class ProbeState
{
    public string? SavedBy { get; set; }

    public int Saves { get; set; }
}
