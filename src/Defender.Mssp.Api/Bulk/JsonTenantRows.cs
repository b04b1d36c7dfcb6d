using System.Text.Json;
using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Bulk;

/// <summary>
/// Reads tenants from a JSON array of <see cref="TenantCreateRequest"/> objects. Each element is bound on its own, so
/// one bad element costs only its own row; rows are numbered by the line their element starts on.
/// </summary>
public static class JsonTenantRows
{
    public static BulkBody Read(byte[] json, int maxRows)
    {
        var bodyErrors = new FieldErrors();
        if (!JsonRequestErrors.IsWellFormed(json, bodyErrors))
        {
            return new BulkBody([], bodyErrors);
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ApiJson.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            bodyErrors.Add("body", "Must be a JSON array of tenants.");
            return new BulkBody([], bodyErrors);
        }

        var rows = new List<BulkRow>();
        var lineCounter = new LineCounter(json);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (rows.Count == maxRows)
            {
                bodyErrors.Add("body", $"At most {maxRows} tenants per request.");
                return new BulkBody([], bodyErrors);
            }

            var start = (int)reader.TokenStartIndex;
            var line = lineCounter.LineAt(start);
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            var element = json.AsSpan(start, (int)reader.BytesConsumed - start);
            var errors = new FieldErrors();
            if (!isObject)
            {
                errors.Add("row", "Must be a JSON object.");
                rows.Add(new BulkRow(line, null, errors));
                continue;
            }

            var request = JsonBody.Bind<TenantCreateRequest>(element, errors, firstLine: line);
            rows.Add(new BulkRow(line, errors.IsEmpty ? request : null, errors));
        }

        if (rows.Count == 0)
        {
            bodyErrors.Add("body", "The array holds no tenants.");
        }

        return new BulkBody(rows, bodyErrors);
    }

    /// <summary>Line numbers of byte offsets, counted forward once (offsets are asked for in increasing order).</summary>
    private sealed class LineCounter(byte[] json)
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(int offset)
        {
            for (; _offset < offset; _offset++)
            {
                if (json[_offset] == (byte)'\n')
                {
                    _line++;
                }
            }

            return _line;
        }
    }
}
