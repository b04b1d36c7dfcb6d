namespace Defender.Mssp.Sinks.Csv;

/// <summary>
/// Finds where the last complete row of a CSV file written by <see cref="CsvRows"/> ends, so a write torn by a crash
/// or a full disk can be cut off before the next append; otherwise a torn quoted field would swallow every later row.
/// </summary>
/// <remarks>
/// Every field is quoted and the last one is the record's JSON object on one line, so a complete row ends in the four
/// bytes <c>}"</c> CR LF. Nowhere else can they occur: inside a quoted field a quote is doubled (<c>}""</c>), and the
/// record field holds no CR or LF. A file whose bytes after the header contain no such ending holds no complete row.
/// </remarks>
internal static class CsvTail
{
    private const int ChunkSize = 64 * 1024;
    private static readonly byte[] RowEnd = "}\"\r\n"u8.ToArray();

    /// <summary>The length of the file's complete part: up to the end of its last complete row, else its header, else 0.</summary>
    public static async Task<long> CompleteLengthAsync(Stream stream, byte[] header, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        var buffer = new byte[ChunkSize + RowEnd.Length - 1];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - ChunkSize);
            // Overlap the next chunk by the pattern's length less one, so an ending split across chunks is still found.
            var count = (int)(Math.Min(length, end + RowEnd.Length - 1) - start);
            stream.Seek(start, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            var found = buffer.AsSpan(0, count).LastIndexOf(RowEnd);
            if (found >= 0)
            {
                return start + found + RowEnd.Length;
            }

            end = start;
        }

        return length >= header.Length && await StartsWithAsync(stream, header, cancellationToken).ConfigureAwait(false)
            ? header.Length
            : 0;
    }

    private static async Task<bool> StartsWithAsync(Stream stream, byte[] prefix, CancellationToken cancellationToken)
    {
        var start = new byte[prefix.Length];
        stream.Seek(0, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(start, cancellationToken).ConfigureAwait(false);
        return start.AsSpan().SequenceEqual(prefix);
    }
}
