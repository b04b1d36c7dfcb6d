using System.Globalization;
using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>Writes times the way the Defender APIs do: UTC, up to seven fractional digits, trailing zeros dropped.</summary>
internal static class RecordTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public static string ToWire(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static void Write(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, ToWire(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
