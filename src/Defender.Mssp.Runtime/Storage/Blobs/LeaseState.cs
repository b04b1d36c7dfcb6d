namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>A blob's lease state, as the service reports it in <c>x-ms-lease-state</c> and listings.</summary>
public enum LeaseState
{
    Available,
    Leased,
    Expired,
    Breaking,
    Broken,
}
