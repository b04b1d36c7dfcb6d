using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Http;

/// <summary>Builds the request bodies of a batch: each record encoded once, then grouped into requests by count and size.</summary>
internal static class HttpPayloads
{
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Host = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText SourceType = JsonEncodedText.Encode("sourcetype");
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index");
    private static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
    private static readonly JsonEncodedText Fields = JsonEncodedText.Encode("fields");
    private static readonly JsonEncodedText IdempotencyKeyName = JsonEncodedText.Encode("idempotencyKey");
    private static readonly JsonEncodedText TenantId = JsonEncodedText.Encode("tenantId");
    private static readonly JsonEncodedText RecordId = JsonEncodedText.Encode("recordId");

    /// <summary>The bodies of <paramref name="records"/>, in order, each within the options' limits.</summary>
    /// <exception cref="JsonException">A record's raw bytes are not one JSON value; nothing of the batch is sent.</exception>
    public static IReadOnlyList<byte[]> Build(
        HttpSinkOptions options, string host, string tenantId, string source, IReadOnlyList<DefenderRecord> records, DateTimeOffset receivedAt)
    {
        var hec = options.Flavour == HttpSinkFlavour.SplunkHec;
        var encoded = records.Select(record => Encode(options, hec, host, tenantId, source, record, receivedAt)).ToList();
        var bodies = new List<byte[]>();
        var start = 0;
        while (start < encoded.Count)
        {
            var count = 0;
            var size = 2L;
            while (start + count < encoded.Count
                && count < options.MaxRecordsPerRequest
                && (count == 0 || size + encoded[start + count].Length + 1 <= options.MaxRequestBytes))
            {
                size += encoded[start + count].Length + 1;
                count++;
            }

            bodies.Add(Join(encoded.GetRange(start, count), hec));
            start += count;
        }

        return bodies;
    }

    public static byte[] Gzip(byte[] body)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return compressed.ToArray();
    }

    /// <summary>An envelope array (<c>[a,b]</c>) or, for HEC, events one after another, a newline between them.</summary>
    private static byte[] Join(List<byte[]> items, bool hec)
    {
        var buffer = new ArrayBufferWriter<byte>(items.Sum(item => item.Length + 1) + 2);
        if (!hec)
        {
            buffer.Write("["u8);
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(hec ? "\n"u8 : ","u8);
            }

            buffer.Write(items[i]);
        }

        if (!hec)
        {
            buffer.Write("]"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Encode(
        HttpSinkOptions options, bool hec, string host, string tenantId, string source, DefenderRecord record, DateTimeOffset receivedAt)
    {
        var buffer = new ArrayBufferWriter<byte>(record.Raw.Length + 512);
        using var writer = new Utf8JsonWriter(buffer);
        var key = IdempotencyKey.Compute(tenantId, source, record.Key);
        if (!hec)
        {
            EnvelopeJson.Write(writer, tenantId, source, record, key, receivedAt);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }

        writer.WriteStartObject();
        // Epoch seconds with milliseconds, HEC's event time: the record's last update, so a re-delivery is identical.
        writer.WriteNumber(Time, decimal.Divide(record.LastUpdateTime.ToUnixTimeMilliseconds(), 1000m));
        writer.WriteString(Host, host);
        writer.WriteString(Source, source);
        writer.WriteString(SourceType, options.SourceType.Replace("{source}", source, StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(options.Index))
        {
            writer.WriteString(Index, options.Index);
        }

        writer.WritePropertyName(Event);
        EnvelopeJson.Write(writer, tenantId, source, record, key, receivedAt);
        // Indexed fields: a search can de-duplicate on the key without parsing the event.
        writer.WriteStartObject(Fields);
        writer.WriteString(IdempotencyKeyName, key);
        writer.WriteString(TenantId, tenantId);
        writer.WriteString(RecordId, record.Id);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
