namespace Defender.Mssp.Storage;

/// <summary>
/// The stored state changed since it was read (ETag mismatch, or it was created by someone else). The grain must not
/// write again from its stale copy: it deactivates and re-reads on its next activation.
/// </summary>
public sealed class InconsistentStateException(string key, string? expectedETag, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Key { get; } = key;

    public string? ExpectedETag { get; } = expectedETag;
}
