using System.Text;
using System.Text.Json;

namespace Defender.Mssp.Sinks.Tests.JsonLines;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Grows_past_its_first_buffer_and_keeps_everything_written_in_order()
    {
        using var buffer = new PooledBufferWriter(16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < 10_000; i++)
            {
                writer.WriteStringValue($"value {i}");
            }

            writer.WriteEndArray();
        }

        var values = JsonSerializer.Deserialize<string[]>(buffer.WrittenMemory.Span)!;
        Assert.Equal(10_000, values.Length);
        Assert.Equal("value 9999", values[^1]);
        Assert.Equal(buffer.WrittenMemory.Length, buffer.WrittenCount);
    }

    [Fact]
    public void Refuses_to_advance_past_what_it_handed_out_and_to_be_used_after_disposal()
    {
        var buffer = new PooledBufferWriter(16);
        var span = buffer.GetSpan(4);
        Encoding.ASCII.GetBytes("abcd", span);
        buffer.Advance(4);
        Assert.Equal("abcd", Encoding.ASCII.GetString(buffer.WrittenMemory.Span));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(buffer.GetSpan().Length + 1));

        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.WrittenMemory);
        Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan());
    }
}
