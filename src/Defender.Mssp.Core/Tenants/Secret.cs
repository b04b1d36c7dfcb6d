using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Tenants;

/// <summary>
/// A secret value (client secret) that never prints itself: <see cref="ToString"/>, records' generated ToString and
/// JSON serialisation all show a placeholder. Only <see cref="Reveal"/> gives the value, at the one place that needs it.
/// </summary>
[JsonConverter(typeof(RedactingConverter))]
public sealed class Secret(string value) : IEquatable<Secret>
{
    public const string Redacted = "***";

    public string Reveal() => value;

    public override string ToString() => Redacted;

    public bool Equals(Secret? other) => other is not null && string.Equals(value, other.Reveal(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);

    /// <summary>Writes the placeholder, never the value; a secret is sealed before it is ever stored.</summary>
    private sealed class RedactingConverter : JsonConverter<Secret>
    {
        public override Secret Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new JsonException("Secrets are not read from JSON; unseal them from their sealed form.");

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Redacted);
    }
}
