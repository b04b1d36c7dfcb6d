using System.Text.Json;

namespace Defender.Simulator.Tests;

internal static class Wire
{
    public static DateTimeOffset Time(JsonElement element, string property) =>
        DateTimeOffset.Parse(element.GetProperty(property).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
