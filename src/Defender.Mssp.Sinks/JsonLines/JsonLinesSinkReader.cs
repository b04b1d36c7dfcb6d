using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>Reads back what <see cref="JsonLinesFileSink"/> wrote: for tests, demos and ground-truth checks.</summary>
public static class JsonLinesSinkReader
{
    /// <summary>
    /// The envelopes of one tenant's source in delivery order — its rotated files oldest first, then the active file;
    /// empty when nothing was delivered. A torn line left by a crash is skipped when <paramref name="skipTornLines"/>.
    /// </summary>
    public static IReadOnlyList<RecordEnvelope> Read(string rootPath, string tenantId, string source, bool skipTornLines = false) =>
        GetFiles(rootPath, tenantId, source).SelectMany(file => ReadFile(file, skipTornLines)).ToList();

    /// <summary>
    /// The files of one tenant's source in delivery order: rotated files by day, then sequence, then the active
    /// <c>{source}.jsonl</c>. Only files that exist.
    /// </summary>
    public static IReadOnlyList<string> GetFiles(string rootPath, string tenantId, string source)
    {
        var folder = Path.Combine(Path.GetFullPath(rootPath), SinkPathNames.TenantFolder(tenantId));
        var active = Path.Combine(folder, SinkPathNames.SourceFile(source));
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var rotated = Directory.EnumerateFiles(folder, SinkPathNames.RotatedSourcePattern(source))
            .Select(file => (File: file, Parsed: SinkPathNames.TryParseRotated(Path.GetFileName(file), source, out var day, out var sequence), Day: day, Sequence: sequence))
            .Where(entry => entry.Parsed)
            .OrderBy(entry => entry.Day)
            .ThenBy(entry => entry.Sequence)
            .Select(entry => entry.File);
        return [.. rotated, .. File.Exists(active) ? [active] : Array.Empty<string>()];
    }

    /// <summary>Every envelope under the root: tenant folders and sources in name order, each source in delivery order.</summary>
    public static IEnumerable<RecordEnvelope> ReadAll(string rootPath, bool skipTornLines = false)
    {
        if (!Directory.Exists(rootPath))
        {
            yield break;
        }

        var tenantFolders = Directory.EnumerateDirectories(rootPath)
            .Where(folder => SinkPathNames.IsTenantFolder(Path.GetFileName(folder)))
            .Order(StringComparer.Ordinal);
        foreach (var folder in tenantFolders)
        {
            var tenantId = Path.GetFileName(folder);
            // A source's name is its files' name up to the first dot; source names have none.
            var sources = Directory.EnumerateFiles(folder, "*" + SinkPathNames.JsonLinesExtension)
                .Select(file => Path.GetFileName(file).Split('.')[0])
                .Where(SinkPathNames.IsSource)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                foreach (var envelope in Read(rootPath, tenantId, source, skipTornLines))
                {
                    yield return envelope;
                }
            }
        }
    }

    /// <summary>Parses a JSON-lines file; a torn line left by a crash is skipped when <paramref name="skipTornLines"/>.</summary>
    /// <exception cref="JsonException">A line is not an envelope (and torn lines are not skipped).</exception>
    public static IReadOnlyList<RecordEnvelope> ReadFile(string path, bool skipTornLines = false)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var envelopes = new List<RecordEnvelope>();
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                envelopes.Add(JsonSerializer.Deserialize<RecordEnvelope>(line)
                    ?? throw new JsonException($"A line of '{path}' is null."));
            }
            catch (JsonException) when (skipTornLines)
            {
            }
        }

        return envelopes;
    }
}
