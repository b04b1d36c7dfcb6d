using System.Collections.Frozen;
using System.Text;

namespace Defender.Mssp.Grains.Telemetry;

/// <summary>
/// Enum values as telemetry spells them (<c>PartiallyFailed</c> → <c>partially_failed</c>), computed once per type so
/// recording a measurement allocates no string.
/// </summary>
internal static class TelemetryEnumNames<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => SnakeCase(value.ToString()));

    public static string Of(TEnum value) => Names.TryGetValue(value, out var name) ? name : SnakeCase(value.ToString());

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
