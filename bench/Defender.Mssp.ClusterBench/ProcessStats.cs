namespace Defender.Mssp.ClusterBench;

/// <summary>
/// CPU time and memory of a process from <c>/proc/{pid}/stat</c> (utime + stime, in clock ticks of 1/100 s) and
/// <c>/proc/{pid}/status</c> (VmRSS, VmHWM). Linux only; zeros elsewhere.
/// </summary>
internal readonly record struct ProcessStats(TimeSpan CpuTime, long RssKb, long PeakRssKb)
{
    private const double TicksPerSecond = 100;

    public static ProcessStats Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return new ProcessStats(TimeSpan.FromSeconds(ticks / TicksPerSecond), Kb(status, "VmRSS:"), Kb(status, "VmHWM:"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    private static long Kb(string[] status, string key) =>
        status.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
}

/// <summary>Finds this process's child <c>node</c> process: the Azurite that <see cref="Defender.Mssp.Runtime.Development.AzuriteServer"/> started.</summary>
internal static class AzuriteProcess
{
    public static int? Find()
    {
        var self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                var parent = stat[(close + 2)..].Split(' ')[1];
                if (parent == self && comm.StartsWith("node", StringComparison.Ordinal))
                {
                    return int.Parse(Path.GetFileName(folder), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
            {
            }
        }

        return null;
    }
}
