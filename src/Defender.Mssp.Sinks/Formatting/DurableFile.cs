namespace Defender.Mssp.Sinks;

/// <summary>Appends bytes to a file and fsyncs before returning: the return is what a file sink acknowledges.</summary>
internal static class DurableFile
{
    /// <summary>
    /// Appends <paramref name="bytes"/>; when the file does not end with a newline (a write torn by a crash), a newline
    /// goes first so the torn line stays the only unreadable one.
    /// </summary>
    public static async Task AppendAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = Open(path);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length > 0 && !await EndsWithNewLineAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }

            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            // fsync: the caller acknowledges on return, so the bytes must survive a power cut.
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Opens for appending without buffering, readable by others (log shippers) while written.</summary>
    public static FileStream Open(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.OpenOrCreate,
        Access = FileAccess.ReadWrite,
        Share = FileShare.Read,
        Options = FileOptions.Asynchronous,
        BufferSize = 0,
    });

    private static async Task<bool> EndsWithNewLineAsync(FileStream stream, CancellationToken cancellationToken)
    {
        stream.Seek(-1, SeekOrigin.End);
        var last = new byte[1];
        await stream.ReadExactlyAsync(last, cancellationToken).ConfigureAwait(false);
        return last[0] == (byte)'\n';
    }
}
