using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Defender.Mssp.Runtime.Cluster;

namespace Defender.Mssp.ClusterBench;

/// <summary>The figures of one run, and their markdown report with the machine and the settings.</summary>
internal sealed record BenchResult(
    int Tenants,
    int Silos,
    int FairShare,
    int JoinShare,
    TimeSpan Converged,
    int Orphans,
    TimeSpan OrphansOwned,
    IReadOnlyList<TimeSpan> OrphanRepollDelays,
    TimeSpan NewcomerOwnsShare,
    TimeSpan NewcomerPolledShare,
    ClusterOptions Cluster,
    TimeSpan PollInterval)
{
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"### {Silos} silos × {Tenants:N0} tenants — {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine("| figure | seconds |");
        s.AppendLine("| --- | ---: |");
        Row(s, $"{Silos} silos started together: every tenant owned (≤ {FairShare} each) and polled", Converged);
        Row(s, $"kill -9 of one silo ({Orphans} orphaned tenants) → survivors own every tenant", OrphansOwned);
        Row(s, "kill -9 → orphans polled again by a survivor: median", Percentile(0.5));
        Row(s, "kill -9 → orphans polled again: 95th percentile", Percentile(0.95));
        Row(s, "**kill -9 → last orphaned tenant polled again**", OrphanRepollDelays[^1]);
        Row(s, $"new silo joins {Silos - 1} survivors → owns its share ({JoinShare})", NewcomerOwnsShare);
        Row(s, $"**new silo joins → has polled its share ({JoinShare})**", NewcomerPolledShare);
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Settings: lease {Cluster.LeaseDuration.TotalSeconds:0} s, renewal every {Cluster.LeaseRenewalPeriod.TotalSeconds:0} s, "
            + $"safety margin {Cluster.LeaseSafetyMargin.TotalSeconds:0} s, balancing every {Cluster.BalancingInterval.TotalSeconds:0} s (±20 %), "
            + $"heartbeat every {Cluster.HeartbeatInterval.TotalSeconds:0} s, silo stale after {Cluster.SiloStaleAfter.TotalSeconds:0} s, "
            + $"tenant poll interval {PollInterval.TotalSeconds:0} s (a new owner's first poll comes at a random point within one interval).");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}.");
        return s.ToString();
    }

    private TimeSpan Percentile(double p) =>
        OrphanRepollDelays[Math.Clamp((int)Math.Ceiling(p * OrphanRepollDelays.Count) - 1, 0, OrphanRepollDelays.Count - 1)];

    private static void Row(StringBuilder s, string figure, TimeSpan value) =>
        s.AppendLine(CultureInfo.InvariantCulture, $"| {figure} | {value.TotalSeconds:F1} |");

    public static string Machine()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal");
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : ["?"];
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {memory ?? "? kB"} memory, {RuntimeInformation.OSDescription}, "
            + $"{RuntimeInformation.FrameworkDescription}; Azurite (in memory), the simulator and every silo on this one machine "
            + $"(load average at the end {string.Join(' ', load)}, other work included)";
    }

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault(line => line.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
