using System.Globalization;
using System.Text;

namespace Defender.AppHost.Tests.Infrastructure;

/// <summary>One process as seen in /proc: its id and start time together name it, so a reused pid is not mistaken for it.</summary>
public sealed record ProcessIdentity(int Pid, ulong StartTime, string CommandLine);

/// <summary>Reads Linux's /proc: who is whose child, whether a process still runs, its command line and environment.</summary>
public static class ProcessTable
{
    /// <summary>Every process below <paramref name="root"/>, children of children included.</summary>
    public static IReadOnlyList<ProcessIdentity> Descendants(int root)
    {
        var byParent = Snapshot().ToLookup(p => p.ParentPid);
        var found = new List<ProcessIdentity>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in byParent[parent])
            {
                found.Add(new ProcessIdentity(child.Pid, child.StartTime, CommandLine(child.Pid)));
                pending.Enqueue(child.Pid);
            }
        }

        return found;
    }

    /// <summary>Still running: the same pid with the same start time, and not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(ProcessIdentity process) =>
        Stat(process.Pid) is { } stat && stat.StartTime == process.StartTime && stat.State is not ('Z' or 'X');

    public static string CommandLine(int pid) =>
        Read($"/proc/{pid}/cmdline")?.Replace('\0', ' ').Trim() ?? "";

    public static IReadOnlyDictionary<string, string> Environment(int pid) =>
        (Read($"/proc/{pid}/environ") ?? "")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.Ordinal);

    private static IEnumerable<(int Pid, int ParentPid, ulong StartTime)> Snapshot()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } stat)
            {
                yield return (pid, stat.ParentPid, stat.StartTime);
            }
        }
    }

    /// <summary>/proc/pid/stat: fields after the command name (which may hold spaces and parentheses) are positional.</summary>
    private static (char State, int ParentPid, ulong StartTime)? Stat(int pid)
    {
        var text = Read($"/proc/{pid}/stat");
        var end = text?.LastIndexOf(')') ?? -1;
        if (end < 0)
        {
            return null;
        }

        var fields = text![(end + 2)..].Split(' ');
        // fields[0] is field 3 (state), fields[1] field 4 (ppid), fields[19] field 22 (start time).
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), ulong.Parse(fields[19], CultureInfo.InvariantCulture));
    }

    private static string? Read(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // Gone, or not ours to read.
        }
    }
}
