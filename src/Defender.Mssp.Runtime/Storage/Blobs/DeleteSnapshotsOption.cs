namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// What a delete does with the blob's snapshots. The product takes no snapshots, so only <see cref="None"/> exists;
/// the parameter keeps Azure.Storage.Blobs' signature.
/// </summary>
public enum DeleteSnapshotsOption
{
    None,
}
