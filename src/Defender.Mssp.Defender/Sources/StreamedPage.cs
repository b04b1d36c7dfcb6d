using System.Buffers;
using System.Text.Json;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Sources;

/// <summary>How a page holds its records.</summary>
internal enum PageShape
{
    /// <summary>A bare JSON array, as the SIEM API answers.</summary>
    Array,

    /// <summary>An OData page: <c>{"value":[…], "@odata.nextLink": …}</c>, other properties ignored.</summary>
    OData,
}

/// <summary>
/// A page read record by record as its body streams in: a <see cref="Utf8JsonReader"/> walks the body through a pooled
/// window that holds only the records not yet mapped (grown only as far as the largest single record), instead of
/// buffering the whole page (a SIEM page of 10,000 alerts is ~20 MB) for a <see cref="JsonDocument"/>. Each record is
/// mapped from a document over its own bytes in the window, and keeps a copy of exactly the bytes the API sent.
/// </summary>
internal sealed class StreamedPage
{
    /// <summary>The first window; a body read from the network arrives in TLS records of 16 KB.</summary>
    internal const int InitialWindowBytes = 64 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] ValueName = "value"u8.ToArray();
    private static readonly byte[] NextLinkName = "@odata.nextLink"u8.ToArray();

    private readonly PageShape _shape;
    private readonly Func<JsonElement, DefenderRecord> _map;
    private readonly List<PoisonRecord>? _poisons;
    private readonly List<DefenderRecord> _records = [];
    private Position _position;
    private bool _sawValue;

    private StreamedPage(PageShape shape, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons)
    {
        _shape = shape;
        _map = map;
        _poisons = poisons;
    }

    private enum Position
    {
        BeforeRoot,
        InRootObject,
        InRecords,
        AfterRoot,
    }

    /// <summary>The page's good records, in the order served.</summary>
    public IReadOnlyList<DefenderRecord> Records => _records;

    /// <summary>The page's <c>@odata.nextLink</c>; null on the last page and for <see cref="PageShape.Array"/>.</summary>
    public string? NextLink { get; private set; }

    /// <summary>
    /// Reads <paramref name="body"/> to its end. Records that cannot be mapped go to <paramref name="poisons"/> when
    /// given (the rest of the page still counts), else they fail the page.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON, or ends before its JSON does.</exception>
    /// <exception cref="InvalidDataException">The body is JSON but not a page of the expected shape.</exception>
    public static async Task<StreamedPage> ReadAsync(
        Stream body, PageShape shape, Func<JsonElement, DefenderRecord> map, List<PoisonRecord>? poisons,
        CancellationToken cancellationToken)
    {
        var page = new StreamedPage(shape, map, poisons);
        var window = ArrayPool<byte>.Shared.Rent(InitialWindowBytes);
        try
        {
            var state = new JsonReaderState();
            var end = 0;
            var sawStart = false;
            var waitForFullWindow = false;
            while (true)
            {
                if (end == window.Length)
                {
                    // One record larger than the window: the window grows to hold it whole.
                    var larger = ArrayPool<byte>.Shared.Rent(checked(window.Length * 2));
                    window.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(window);
                    window = larger;
                }

                var read = await body.ReadAsync(window.AsMemory(end), cancellationToken).ConfigureAwait(false);
                end += read;
                var final = read == 0;
                if (!final && waitForFullWindow && end < window.Length)
                {
                    // The last pass ended inside a record without reading one: read on until the window is full
                    // rather than scan the record from its start again for every few kilobytes that arrive.
                    continue;
                }

                if (!sawStart)
                {
                    if (end < Utf8Bom.Length && !final)
                    {
                        continue;
                    }

                    // JsonDocument tolerated a byte-order mark; the reader does not.
                    sawStart = true;
                    if (window.AsSpan(0, end).StartsWith(Utf8Bom))
                    {
                        Compact(window, Utf8Bom.Length, ref end);
                    }
                }

                var consumed = page.Consume(window, end, final, ref state);
                if (final)
                {
                    return page._position == Position.AfterRoot ? page : throw new JsonException("The page ended before its JSON did.");
                }

                // What was not consumed moves to the front, so the window never holds a record already mapped.
                Compact(window, consumed, ref end);
                waitForFullWindow = consumed == 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    private static void Compact(byte[] window, int consumed, ref int end)
    {
        if (consumed > 0)
        {
            window.AsSpan(consumed, end - consumed).CopyTo(window);
            end -= consumed;
        }
    }

    /// <summary>
    /// Reads the tokens complete in <c>window[..end]</c>, mapping each whole record; returns where the first token not
    /// yet read begins (how many bytes are done with), and leaves <paramref name="state"/> as the reader stood there.
    /// </summary>
    private int Consume(byte[] window, int end, bool final, ref JsonReaderState state)
    {
        var reader = new Utf8JsonReader(window.AsSpan(0, end), final, state);
        while (true)
        {
            // Where to resume when the window ends inside the next token or record.
            var resumeState = reader.CurrentState;
            var resumeAt = (int)reader.BytesConsumed;
            if (!Step(ref reader, window))
            {
                state = resumeState;
                return resumeAt;
            }
        }
    }

    /// <summary>One step through the page; false when the window ends before the step does.</summary>
    private bool Step(ref Utf8JsonReader reader, byte[] window)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (_position)
        {
            case Position.BeforeRoot:
                _position = (_shape, reader.TokenType) switch
                {
                    (PageShape.Array, JsonTokenType.StartArray) => Position.InRecords,
                    (PageShape.OData, JsonTokenType.StartObject) => Position.InRootObject,
                    (PageShape.Array, _) => throw new InvalidDataException($"Expected a JSON array, got {KindOf(reader.TokenType)}."),
                    _ => throw new InvalidDataException("The page has no 'value' array."),
                };
                return true;

            case Position.InRootObject when reader.TokenType == JsonTokenType.EndObject:
                _position = _sawValue ? Position.AfterRoot : throw new InvalidDataException("The page has no 'value' array.");
                return true;

            case Position.InRootObject:
                return ReadProperty(ref reader);

            case Position.InRecords when reader.TokenType == JsonTokenType.EndArray:
                _position = _shape == PageShape.OData ? Position.InRootObject : Position.AfterRoot;
                return true;

            case Position.InRecords:
                return ReadRecord(ref reader, window);

            default:
                // Utf8JsonReader refuses a second value after the root itself; anything it returns here is a bug.
                throw new JsonException($"Unexpected {reader.TokenType} after the page's JSON.");
        }
    }

    private bool ReadProperty(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals(ValueName))
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new InvalidDataException("The page has no 'value' array.");
            }

            _sawValue = true;
            _position = Position.InRecords;
            return true;
        }

        if (reader.ValueTextEquals(NextLinkName))
        {
            if (!reader.Read())
            {
                return false;
            }

            NextLink = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw new InvalidDataException("'@odata.nextLink' is not a string."),
            };
            return true;
        }

        // Any other property (@odata.context, @odata.count, …) is skipped whole, or not at all.
        return reader.Read() && reader.TrySkip();
    }

    private bool ReadRecord(ref Utf8JsonReader reader, byte[] window)
    {
        var from = (int)reader.TokenStartIndex;
        var kind = reader.TokenType;
        if (!reader.TrySkip())
        {
            return false;
        }

        var bytes = window.AsMemory(from, (int)reader.BytesConsumed - from);
        using var document = JsonDocument.Parse(bytes);
        var element = document.RootElement;
        try
        {
            _records.Add(kind == JsonTokenType.StartObject
                ? _map(element)
                : throw new InvalidDataException($"Expected records as JSON objects, got {element.ValueKind}."));
        }
        catch (Exception ex) when (_poisons is not null && ex is InvalidDataException or FormatException)
        {
            _poisons.Add(new PoisonRecord(bytes.ToArray(), ex.Message));
        }

        return true;
    }

    private static JsonValueKind KindOf(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };
}
