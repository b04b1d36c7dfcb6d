namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Which non-current blobs (snapshots, versions, deleted) a listing includes. Only <see cref="None"/> is supported; the
/// parameter exists so calls keep Azure.Storage.Blobs' signature.
/// </summary>
[Flags]
public enum BlobStates
{
    None = 0,
}
