namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Anonymous read access to a new container. The product's containers are always private, so only
/// <see cref="None"/> exists; the parameter keeps Azure.Storage.Blobs' signature.
/// </summary>
public enum PublicAccessType
{
    None,
}
