using Defender.AppHost.Hosting;

namespace Defender.AppHost.Demo;

/// <summary>
/// Shows records arriving: every few seconds, when anything changed, the lines in each tenant's folder of the
/// JSON-lines sink. Reads only what was appended since the last look, so long runs with big files stay cheap.
/// </summary>
public sealed class SinkWatcher(string sinkFolder, IReadOnlyDictionary<string, string> displayNames)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (long Length, long Lines)> _files = new(StringComparer.Ordinal);

    public async Task WatchAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        long last = -1;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var counts = Count();
            var total = counts.Sum(c => c.Lines);
            if (total != last && counts.Count > 0)
            {
                ConsoleLog.Info("sink: " + string.Join(", ", counts.Select(c => $"{c.Name} {c.Lines}")) + $" (total {total})");
                last = total;
            }
        }
    }

    private List<(string Name, long Lines)> Count()
    {
        if (!Directory.Exists(sinkFolder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(sinkFolder)
            .Select(folder => (Id: Path.GetFileName(folder), Lines: Directory.EnumerateFiles(folder, "*.jsonl", SearchOption.AllDirectories).Sum(CountLines)))
            .Select(tenant => (displayNames.GetValueOrDefault(tenant.Id, tenant.Id), tenant.Lines))
            .OrderBy(tenant => tenant.Item1, StringComparer.Ordinal)
            .ToList();
    }

    private long CountLines(string file)
    {
        try
        {
            var (length, lines) = _files.GetValueOrDefault(file);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < length)
            {
                (length, lines) = (0, 0); // Replaced or truncated (a purge): count afresh.
            }

            stream.Position = length;
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                length += read;
            }

            _files[file] = (length, lines);
            return lines;
        }
        catch (IOException)
        {
            return _files.GetValueOrDefault(file).Lines; // Being written or removed right now; next time.
        }
    }
}
