using System.Text;
using System.Text.Json;
using Defender.Mssp.Defender.Sources;
using Defender.Mssp.Records;

namespace Defender.Mssp.Defender.Tests.Sources;

/// <summary>
/// Pages read record by record as the body streams in. The bodies arrive in pieces of every size (one byte at a time
/// up to whole), so every token and record boundary falls at the end of a read somewhere, and each record must come
/// out with exactly the bytes the API sent.
/// </summary>
public sealed class StreamedPageTests
{
    private static readonly int[] ChunkSizes = [1, 2, 3, 7, 64, 4096, int.MaxValue];

    public static TheoryData<int> Chunks() => [.. ChunkSizes];

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task A_bare_array_yields_every_record_with_its_exact_bytes(int chunk)
    {
        var records = Enumerable.Range(1, 40).Select(Record).ToList();
        var body = "[" + string.Join(" ,\n ", records) + "]";

        var page = await ReadAsync(body, PageShape.Array, chunk);

        Assert.Equal(records, page.Records.Select(Text));
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"r{i}"), page.Records.Select(r => r.Id));
        Assert.Null(page.NextLink);
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task An_OData_page_yields_its_value_and_next_link_wherever_they_stand_and_skips_other_properties(int chunk)
    {
        var records = Enumerable.Range(1, 5).Select(Record).ToList();
        var value = "[" + string.Join(",", records) + "]";
        const string context = "\"@odata.context\":\"https://api/$metadata#Incidents\",\"@odata.count\":5,\"nested\":{\"a\":[1,{\"b\":\"]}\"}]}";

        var linkLast = await ReadAsync($"{{{context},\"value\":{value},\"@odata.nextLink\":\"https://api/next?$skiptoken=x\"}}", PageShape.OData, chunk);
        var linkFirst = await ReadAsync($"{{\"@odata.nextLink\":\"https://api/next?$skiptoken=y\",\"value\":{value},{context}}}", PageShape.OData, chunk);
        var lastPage = await ReadAsync($"{{\"value\":{value},\"@odata.nextLink\":null}}", PageShape.OData, chunk);

        Assert.Equal(records, linkLast.Records.Select(Text));
        Assert.Equal("https://api/next?$skiptoken=x", linkLast.NextLink);
        Assert.Equal(records, linkFirst.Records.Select(Text));
        Assert.Equal("https://api/next?$skiptoken=y", linkFirst.NextLink);
        Assert.Equal(records, lastPage.Records.Select(Text));
        Assert.Null(lastPage.NextLink);
    }

    [Theory]
    [InlineData(1_024)]
    [InlineData(4_096)]
    public async Task A_record_larger_than_the_window_is_read_whole(int chunk)
    {
        var big = $"{{\"id\":\"big\",\"lastUpdateTime\":\"2026-01-05T07:30:00Z\",\"blob\":\"{new string('x', StreamedPage.InitialWindowBytes * 5)}\"}}";
        var body = $"[{Record(1)},{big},{Record(2)}]";

        var page = await ReadAsync(body, PageShape.Array, chunk);

        Assert.Equal([Record(1), big, Record(2)], page.Records.Select(Text));
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_page_is_tolerated()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes($"[{Record(1)}]")).ToArray();
        var page = await StreamedPage.ReadAsync(new ChunkedStream(bytes, 1), PageShape.Array, Map, null, CancellationToken.None);
        Assert.Equal([Record(1)], page.Records.Select(Text));
    }

    [Theory]
    [MemberData(nameof(Chunks))]
    public async Task Records_that_cannot_be_mapped_are_set_aside_with_their_bytes_and_the_rest_still_count(int chunk)
    {
        const string noId = "{\"lastUpdateTime\":\"2026-01-05T07:30:00Z\"}";
        var body = $"[{Record(1)},{noId},\"text\",[1,2],42,{Record(2)}]";
        var poisons = new List<PoisonRecord>();

        var page = await StreamedPage.ReadAsync(Body(body, chunk), PageShape.Array, Map, poisons, CancellationToken.None);

        Assert.Equal([Record(1), Record(2)], page.Records.Select(Text));
        Assert.Equal([noId, "\"text\"", "[1,2]", "42"], poisons.Select(p => Encoding.UTF8.GetString(p.Raw.Span)));
        Assert.Contains("no 'id'", poisons[0].Reason, StringComparison.Ordinal);
        Assert.Contains("Expected records as JSON objects, got String", poisons[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_place_for_poison_a_record_that_cannot_be_mapped_fails_the_page()
    {
        var body = $"[{Record(1)},{{\"lastUpdateTime\":\"2026-01-05T07:30:00Z\"}}]";
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(body, PageShape.Array, 3));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[{\"id\":\"r1\",\"lastUpdateTime\":\"2026-01-05T07:30:00Z\"},")]
    [InlineData("[{\"id\":\"r1\",\"lastUpdateTime\":\"2026-01-05T07:30:00Z\"")]
    [InlineData("[]]")]
    [InlineData("[] []")]
    [InlineData("[{\"id\":\"r1\",}]")]
    [InlineData("<html>Service Unavailable</html>")]
    [InlineData("{\"value\":[],\"@odata.nextLink\":\"x\"")]
    public async Task A_truncated_or_malformed_body_fails_as_JSON(string body)
    {
        foreach (var chunk in ChunkSizes)
        {
            var shape = body.StartsWith('{') ? PageShape.OData : PageShape.Array;
            await Assert.ThrowsAnyAsync<JsonException>(() => ReadAsync(body, shape, chunk));
        }
    }

    [Theory]
    [InlineData("{\"value\":[]}", false, "Expected a JSON array, got Object.")]
    [InlineData("\"text\"", false, "Expected a JSON array, got String.")]
    [InlineData("[]", true, "The page has no 'value' array.")]
    [InlineData("{\"@odata.context\":\"x\"}", true, "The page has no 'value' array.")]
    [InlineData("{\"value\":{\"id\":\"r1\"}}", true, "The page has no 'value' array.")]
    [InlineData("{\"value\":[],\"@odata.nextLink\":42}", true, "'@odata.nextLink' is not a string.")]
    public async Task JSON_of_another_shape_is_not_a_page(string body, bool odata, string message)
    {
        var shape = odata ? PageShape.OData : PageShape.Array;
        foreach (var chunk in ChunkSizes)
        {
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(body, shape, chunk));
            Assert.Equal(message, error.Message);
        }
    }

    [Fact]
    public async Task A_page_of_ten_thousand_records_never_holds_more_than_a_small_window()
    {
        var body = "[" + string.Join(",", Enumerable.Range(1, 10_000).Select(Record)) + "]";
        var stream = new ChunkedStream(Encoding.UTF8.GetBytes(body), 16 * 1024);

        var page = await StreamedPage.ReadAsync(stream, PageShape.Array, Map, null, CancellationToken.None);

        Assert.Equal(10_000, page.Records.Count);
        // Every read asked for room in the window, never for the whole body (~870 KB).
        Assert.InRange(stream.LargestRead, 1, StreamedPage.InitialWindowBytes * 2);
        Assert.True(body.Length > StreamedPage.InitialWindowBytes * 8, "the body is much larger than the window");
    }

    private static string Record(int i) =>
        $"{{\"id\":\"r{i}\",\"lastUpdateTime\":\"2026-01-05T07:{i % 60:00}:00Z\",\"title\":\"Alert \\\"{i}\\\" \\u00e9\",\"tags\":[\"a\",{{\"k\":[{i}]}}]}}";

    private static DefenderRecord Map(JsonElement element) => new(
        JsonRecords.IdOf(element, "id") ?? throw new InvalidDataException("A record has no 'id'."),
        JsonRecords.TimeOf(element, "lastUpdateTime"),
        JsonRecords.Raw(element));

    private static string Text(DefenderRecord record) => Encoding.UTF8.GetString(record.Raw.Span);

    private static Task<StreamedPage> ReadAsync(string body, PageShape shape, int chunk) =>
        StreamedPage.ReadAsync(Body(body, chunk), shape, Map, null, CancellationToken.None);

    private static ChunkedStream Body(string body, int chunk) => new(Encoding.UTF8.GetBytes(body), chunk);

    /// <summary>A body that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public int LargestRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            var length = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, length).CopyTo(buffer);
            _position += length;
            return length;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
