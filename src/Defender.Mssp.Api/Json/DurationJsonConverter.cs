using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Api.Json;

/// <summary>Reads and writes <see cref="TimeSpan"/> in the forms of <see cref="Durations"/>.</summary>
public sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Durations.TryParse(reader.GetString(), out var value)
            ? value
            : throw new JsonException(Durations.Description);

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Durations.Format(value));
}
