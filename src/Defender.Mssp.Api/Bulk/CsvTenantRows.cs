using System.Text;
using CsvHelper;
using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Json;
using Defender.Mssp.Api.Validation;

namespace Defender.Mssp.Api.Bulk;

/// <summary>
/// Reads tenants from CSV (RFC 4180, UTF-8, comma-separated) with a header row naming the columns as the JSON fields
/// are named (case-insensitive): <c>tenantId,clientId,clientSecret</c> required, the others optional. List cells
/// (<c>sources</c>, <c>machineGroups</c>, <c>sinks</c>) separate their items with <c>;</c>. An empty cell means "not
/// given". Errors name the line (the header is line 1) and the column; cell values are never repeated in them. A CSV
/// carries client secrets only: certificate credentials are onboarded as JSON (<c>credential</c>), singly or in a JSON
/// bulk; likewise its <c>sinks</c> name configured sinks (<c>Sinks:Definitions</c>), with <c>sinksMode</c> add or
/// replace, while sinks defined with their own settings and secrets are given as JSON.
/// </summary>
public static class CsvTenantRows
{
    public const char ListSeparator = ';';

    private static readonly string[] Columns =
    [
        "tenantId", "displayName", "clientId", "clientSecret", "cloud", "siemRegion", "xdrRegion", "sources", "pollInterval",
        "initialLookback", "machineGroups", "paused", "sinks", "sinksMode",
    ];

    private static readonly string[] RequiredColumns = ["tenantId", "clientId", "clientSecret"];

    private static readonly string[] TrueValues = ["true", "yes", "1"];

    private static readonly string[] FalseValues = ["false", "no", "0"];

    public static BulkBody Read(byte[] csv, int maxRows)
    {
        var bodyErrors = new FieldErrors();
        var malformed = new List<(long Line, CsvMalformedReason Reason)>();
        var options = new CsvReaderOptions
        {
            HasHeader = true,
            Separator = ',',
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            IncludeValuesInExceptions = false,
            Encoding = Encoding.UTF8,
            OnMalformedRecord = record => malformed.Add((record.LineNumber, record.Reason)),
        };

        using var reader = CsvReader.Create(csv, options);
        try
        {
            reader.ReadHeader();
        }
        catch (Exception e) when (e is CsvFormatException or InvalidOperationException)
        {
            bodyErrors.Add("line 1", "A header row naming the columns is required.");
            return new BulkBody([], bodyErrors);
        }

        var columns = MapHeader(reader.Headers, bodyErrors);
        if (!bodyErrors.IsEmpty)
        {
            return new BulkBody([], bodyErrors);
        }

        var rows = new List<BulkRow>();
        while (reader.Read())
        {
            if (rows.Count == maxRows)
            {
                bodyErrors.Add("body", $"At most {maxRows} tenants per request.");
                return new BulkBody([], bodyErrors);
            }

            rows.Add(ReadRow(reader, columns));
        }

        // Records the parser could not read at all (an unterminated quote) still count as bad rows, by their line.
        foreach (var (line, reason) in malformed)
        {
            var errors = new FieldErrors();
            errors.Add("row", $"Not valid CSV ({Describe(reason)}).");
            rows.Add(new BulkRow(checked((int)line), null, errors));
        }

        rows.Sort((a, b) => a.Line.CompareTo(b.Line));
        if (rows.Count == 0 && bodyErrors.IsEmpty)
        {
            bodyErrors.Add("body", "The CSV has a header but no tenants.");
        }

        return new BulkBody(rows, bodyErrors);
    }

    /// <summary>Column index by field name; unknown, duplicate or missing columns are body errors on line 1.</summary>
    private static Dictionary<string, int> MapHeader(IReadOnlyList<string> headers, FieldErrors errors)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            var name = Columns.FirstOrDefault(column => string.Equals(column, headers[i].Trim(), StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                errors.Add($"line 1: column {i + 1}", $"Unknown column; the columns are {string.Join(", ", Columns)}.");
            }
            else if (!columns.TryAdd(name, i))
            {
                errors.Add($"line 1: {name}", "Column given more than once.");
            }
        }

        foreach (var required in RequiredColumns.Where(required => !columns.ContainsKey(required)))
        {
            errors.Add($"line 1: {required}", "Required column missing.");
        }

        return columns;
    }

    private static BulkRow ReadRow(CsvReader reader, Dictionary<string, int> columns)
    {
        var line = checked((int)reader.LineNumber);
        var errors = new FieldErrors();
        if (reader.FieldCount > columns.Count)
        {
            errors.Add("row", $"Has {reader.FieldCount} fields; the header has {columns.Count}.");
            return new BulkRow(line, null, errors);
        }

        string? Cell(string column, bool trim = true)
        {
            if (!columns.TryGetValue(column, out var index) || index >= reader.FieldCount)
            {
                return null;
            }

            var value = reader.GetString(index);
            if (trim)
            {
                value = value.Trim();
            }

            return value.Length == 0 ? null : value;
        }

        var request = new TenantCreateRequest
        {
            TenantId = Cell("tenantId"),
            DisplayName = Cell("displayName"),
            ClientId = Cell("clientId"),

            // A secret is taken exactly as written; the validator rejects surrounding white space rather than guess.
            ClientSecret = Cell("clientSecret", trim: false),
            Cloud = Cell("cloud"),
            SiemRegion = Cell("siemRegion"),
            XdrRegion = Cell("xdrRegion"),
            Sources = List(Cell("sources")),
            PollInterval = Duration(Cell("pollInterval"), "pollInterval", errors),
            InitialLookback = Duration(Cell("initialLookback"), "initialLookback", errors),
            MachineGroups = List(Cell("machineGroups")),
            Paused = Boolean(Cell("paused"), "paused", errors),
            Sinks = Sinks(Cell("sinks"), Cell("sinksMode"), errors),
        };
        return new BulkRow(line, errors.IsEmpty ? request : null, errors);
    }

    private static List<string>? List(string? cell) =>
        cell?.Split(ListSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Configured sinks by name; the validator checks the names and the mode as it does for JSON.</summary>
    private static TenantSinksInput? Sinks(string? names, string? mode, FieldErrors errors)
    {
        if (names is null)
        {
            if (mode is not null)
            {
                errors.Add("sinksMode", "Give it only with sinks.");
            }

            return null;
        }

        return new TenantSinksInput
        {
            Mode = mode,
            Sinks = [.. List(names)!.Select(name => new TenantSinkInput { Name = name })],
        };
    }

    private static TimeSpan? Duration(string? cell, string column, FieldErrors errors)
    {
        if (cell is null)
        {
            return null;
        }

        if (Durations.TryParse(cell, out var value))
        {
            return value;
        }

        errors.Add(column, $"Must be {Durations.Description}.");
        return null;
    }

    private static bool? Boolean(string? cell, string column, FieldErrors errors)
    {
        if (cell is null)
        {
            return null;
        }

        if (TrueValues.Contains(cell, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FalseValues.Contains(cell, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        errors.Add(column, "Must be true or false.");
        return null;
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        CsvMalformedReason.FieldCountMismatch => "the wrong number of fields",
        _ => "malformed",
    };
}
