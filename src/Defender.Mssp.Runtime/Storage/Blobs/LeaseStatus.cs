namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>Whether a blob is locked by a lease (<c>x-ms-lease-status</c>).</summary>
public enum LeaseStatus
{
    Locked,
    Unlocked,
}
