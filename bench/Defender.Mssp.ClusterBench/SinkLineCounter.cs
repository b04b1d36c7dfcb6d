namespace Defender.Mssp.ClusterBench;

/// <summary>
/// Counts the lines (records) in every <c>.jsonl</c> file under a folder, reading only what was appended since the
/// last count (the bench's default sink settings never rotate; a file that shrank is counted again from the start).
/// </summary>
internal sealed class SinkLineCounter(string folder)
{
    private readonly Dictionary<string, (long Offset, long Lines)> _files = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[1 << 20];

    public long Count()
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories))
        {
            var (offset, lines) = _files.GetValueOrDefault(path);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < offset)
            {
                (offset, lines) = (0, 0);
            }

            stream.Position = offset;
            int read;
            while ((read = stream.Read(_buffer)) > 0)
            {
                lines += _buffer.AsSpan(0, read).Count((byte)'\n');
                offset += read;
            }

            _files[path] = (offset, lines);
        }

        return _files.Values.Sum(f => f.Lines);
    }

    public long Bytes() => _files.Values.Sum(f => f.Offset);
}
