using System.Text.Json;

namespace Defender.Mssp.Sinks;

/// <summary>
/// The UTC day the records of an active JSON Lines file arrived on, for a process that did not write its first line:
/// the <c>receivedAt</c> of that line (the sink's clock, as daily rotation uses), else the file's last write time.
/// </summary>
internal static class JsonLinesFileDay
{
    public static DateOnly Read(FileInfo file)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            if (reader.ReadLine() is { Length: > 0 } line)
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("receivedAt", out var receivedAt) && receivedAt.TryGetDateTimeOffset(out var at))
                {
                    return DateOnly.FromDateTime(at.UtcDateTime);
                }
            }
        }
        catch (JsonException)
        {
            // A torn first line: fall back on the file system's clock.
        }

        return DateOnly.FromDateTime(file.LastWriteTimeUtc);
    }
}
