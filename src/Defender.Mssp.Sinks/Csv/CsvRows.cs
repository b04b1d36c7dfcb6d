using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Csv;

/// <summary>
/// Encodes CSV rows with CsvHelper: RFC 4180 (CRLF line ends, double quotes doubled) with every field quoted. Quoting
/// every field is what lets <see cref="CsvTail"/> find the end of the last complete row after a torn write.
/// </summary>
internal static class CsvRows
{
    private static readonly CsvWriterOptions Options = new()
    {
        Mode = CsvMode.Rfc4180,
        Separator = ',',
        NewLine = "\r\n",
        Quoting = CsvQuoting.Always,
        // Spreadsheet formula protection would change values; the files are for SIEMs and scripts, byte-faithful.
        Injection = CsvInjection.None,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Header(string source) => Encode(writer =>
    {
        foreach (var column in CsvSinkColumns.HeaderOf(source))
        {
            writer.WriteField(column);
        }

        writer.EndRecord();
    });

    /// <exception cref="JsonException">A record is not a JSON object; nothing of the batch is written.</exception>
    public static byte[] Encode(string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var fields = CsvSinkColumns.FieldsOf(source);
        return Encode(writer =>
        {
            foreach (var record in records)
            {
                using var document = JsonDocument.Parse(record.Raw);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException($"Record '{record.Id}' of source '{source}' is a JSON {root.ValueKind}, not an object.");
                }

                writer.WriteField(tenantId);
                writer.WriteField(source);
                writer.WriteField(record.Id);
                writer.WriteField(record.LastUpdateTime.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteField(IdempotencyKey.Compute(tenantId, source, record.Key));
                writer.WriteField(receivedAt.ToString("O", CultureInfo.InvariantCulture));
                foreach (var field in fields)
                {
                    writer.WriteField(RecordFields.Text(root, field));
                }

                // One line, no edge whitespace: every row then ends in '}"' + CRLF, which CsvTail relies on.
                writer.WriteField(Utf8.GetString(EnvelopeJson.SingleLine(record.Raw.Span)).Trim());
                writer.EndRecord();
            }
        });
    }

    private static byte[] Encode(Action<CsvWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
