namespace Defender.Mssp.Storage;

/// <summary>
/// This process no longer holds the lease that makes it the grain's single owner; another silo may already. The
/// grain deactivates at once without writing or delivering anything more.
/// </summary>
public sealed class LeaseLostException(string key, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Key { get; } = key;
}
