using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.DeadLetters;

/// <summary>
/// Appends poison records as JSON Lines to <c>{root}/{tenant}/{source}.jsonl</c>, one object a line:
/// <c>{"at","tenantId","source","reason","raw"}</c> where <c>raw</c> is the record's text as served (a string, since
/// it may not be JSON at all). Writes are serialised per process and flushed to disk before returning.
/// </summary>
public sealed class FileDeadLetterSink(IOptions<DeadLetterOptions> options) : IDeadLetterSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _root = System.IO.Path.GetFullPath(options.Value.Path ?? DeadLetterOptions.DefaultFolderName);

    /// <summary>The resolved root folder.</summary>
    public string Root => _root;

    /// <summary>The file a tenant's dead letters of one source go to.</summary>
    public string FileOf(string tenantId, string source) =>
        System.IO.Path.Combine(_root, SafeName(tenantId), SafeName(source) + ".jsonl");

    public async Task WriteAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var group in letters.GroupBy(l => FileOf(l.TenantId, l.Source)))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(group.Key)!);
                var stream = new FileStream(group.Key, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
                await using (stream.ConfigureAwait(false))
                {
                    foreach (var letter in group)
                    {
                        await stream.WriteAsync(Line(letter), cancellationToken).ConfigureAwait(false);
                    }

                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static byte[] Line(DeadLetter letter)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("at", letter.At);
            writer.WriteString("tenantId", letter.TenantId);
            writer.WriteString("source", letter.Source);
            writer.WriteString("reason", letter.Reason);
            writer.WriteString("raw", Encoding.UTF8.GetString(letter.Raw.Span));
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    // Tenant ids and source names are configuration; never let one climb out of the root.
    private static string SafeName(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Length == 0 ? "_" : safe;
    }
}
