using System.Text.Json;

namespace Defender.Simulator.Records;

/// <summary>How the writers of every API shape put an entity's fields and optional numbers into JSON.</summary>
internal static class EntityJson
{
    /// <summary>The entity's <paramref name="names"/> fields in that order; a field the entity lacks is null.</summary>
    public static void WriteFields(Utf8JsonWriter writer, EntityState entity, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            switch (entity.Fields.GetValueOrDefault(name))
            {
                case string text:
                    writer.WriteString(name, text);
                    break;
                case int number:
                    writer.WriteNumber(name, number);
                    break;
                case DateTimeOffset time:
                    RecordTime.Write(writer, name, time);
                    break;
                default:
                    writer.WriteNull(name);
                    break;
            }
        }
    }

    public static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
