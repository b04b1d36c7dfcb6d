using System.Collections.Concurrent;

namespace Defender.Mssp.Sinks;

/// <summary>
/// One gate per file path for the whole process, so batches never interleave in a file even when two sink instances
/// (a configuration reload, a tenant override naming the same folder) write it at the same time.
/// </summary>
internal static class FileGates
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static SemaphoreSlim For(string path) => Gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
}
