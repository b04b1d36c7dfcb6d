using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks;

/// <summary>Reads back what <see cref="JsonLinesFileSink"/> wrote: for tests, demos and ground-truth checks.</summary>
public static class JsonLinesSinkReader
{
    /// <summary>The envelopes of one tenant's source, in file order; empty when nothing was delivered.</summary>
    public static IReadOnlyList<RecordEnvelope> Read(string rootPath, string tenantId, string source) =>
        ReadFile(Path.Combine(Path.GetFullPath(rootPath), SinkPathNames.TenantFolder(tenantId), SinkPathNames.SourceFile(source)));

    /// <summary>Every envelope under the root, file by file.</summary>
    public static IEnumerable<RecordEnvelope> ReadAll(string rootPath)
    {
        if (!Directory.Exists(rootPath))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(rootPath, "*.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            foreach (var envelope in ReadFile(file))
            {
                yield return envelope;
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
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
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
