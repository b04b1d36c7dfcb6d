using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Defender.Mssp.ClusterBench;

/// <summary>
/// The silo's own runtime counters (<c>System.Runtime</c>) over a span of time, read with the SDK's
/// <c>dotnet-counters collect</c> (give its path with <c>--Counters</c>): GC heap size and committed memory at the
/// end, bytes allocated and collections during, timers and thread-pool threads. Null when the tool is not given.
/// </summary>
internal sealed record RuntimeCounters
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    public double HeapBytes { get; init; }

    public double CommittedBytes { get; init; }

    /// <summary>Bytes allocated per second, averaged over the samples taken.</summary>
    public double AllocatedBytesPerSecond { get; init; }

    public double Gen0Collections { get; init; }

    public double Gen2Collections { get; init; }

    public double Timers { get; init; }

    public static async Task<RuntimeCounters?> CollectAsync(string? tool, int pid, TimeSpan duration, TextWriter log)
    {
        if (string.IsNullOrEmpty(tool))
        {
            return null;
        }

        var output = Path.Combine(Path.GetTempPath(), $"bench-counters-{pid}-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo(tool)
        {
            ArgumentList =
            {
                "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime",
                "--refresh-interval", Refresh.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--format", "json", "-o", output,
                "--duration", $"00:00:{(int)duration.TotalMinutes:00}:{duration.Seconds:00}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(info)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            using var timeout = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            await drain;
            return File.Exists(output) ? Parse(output) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or JsonException or IOException)
        {
            log.WriteLine($"dotnet-counters failed: {e.Message}");
            return null;
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static RuntimeCounters Parse(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var events = document.RootElement.GetProperty("Events").EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, Tags: e.GetProperty("tags").GetString()!, Value: e.GetProperty("value").GetDouble(),
                Time: e.GetProperty("timestamp").GetDateTimeOffset()))
            .ToList();
        double Last(string name) => events.Where(e => e.Name.StartsWith(name + " ", StringComparison.Ordinal))
            .GroupBy(e => e.Tags).Sum(g => g.OrderBy(e => e.Time).Last().Value);
        int Count(string name) => events.Count(e => e.Name.StartsWith(name + " ", StringComparison.Ordinal));
        double Sum(string name, string tags = "") => events
            .Where(e => e.Name.StartsWith(name + " ", StringComparison.Ordinal) && e.Tags.Contains(tags, StringComparison.Ordinal)).Sum(e => e.Value);
        return new RuntimeCounters
        {
            HeapBytes = Last("dotnet.gc.last_collection.heap.size"),
            CommittedBytes = Last("dotnet.gc.last_collection.memory.committed_size"),
            AllocatedBytesPerSecond = Sum("dotnet.gc.heap.total_allocated") / (Refresh.TotalSeconds * Math.Max(1, Count("dotnet.gc.heap.total_allocated"))),
            Gen0Collections = Sum("dotnet.gc.collections", "gen0"),
            Gen2Collections = Sum("dotnet.gc.collections", "gen2"),
            Timers = Last("dotnet.timer.count"),
        };
    }
}
