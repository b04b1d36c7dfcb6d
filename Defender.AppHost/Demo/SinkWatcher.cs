using Defender.AppHost.Hosting;

namespace Defender.AppHost.Demo;

/// <summary>Shows records arriving: every few seconds, the number of lines each tenant's sink files hold.</summary>
public static class SinkWatcher
{
    public static async Task WatchAsync(string sinkFolder, IReadOnlyList<DemoTenant> tenants, TimeSpan every, CancellationToken cancellationToken)
    {
        ConsoleLog.Info($"records arrive as JSON lines under {sinkFolder}");
        long last = -1;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            var counts = tenants.Select(t => (t.DisplayName, Lines: CountLines(Path.Combine(sinkFolder, t.TenantId)))).ToList();
            var total = counts.Sum(c => c.Lines);
            if (total != last)
            {
                ConsoleLog.Info("sink: " + string.Join(", ", counts.Select(c => $"{c.DisplayName} {c.Lines}")) + $" (total {total})");
                last = total;
            }
        }
    }

    private static long CountLines(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.jsonl").Sum(file => File.ReadLines(file).LongCount())
            : 0;
}
