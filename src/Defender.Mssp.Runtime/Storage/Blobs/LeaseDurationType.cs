namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Whether a held lease is infinite or of fixed duration (<c>x-ms-lease-duration</c>).</summary>
public enum LeaseDurationType
{
    Infinite,
    Fixed,
}
