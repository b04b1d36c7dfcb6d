using System.Text;
using System.Text.Json.Nodes;

namespace Defender.Simulator.Faults;

/// <summary>
/// Rewrites a served page (an OData <c>{"value":[…]}</c> or the SIEM API's bare array) the way a
/// <see cref="FaultRule"/> asks: a field missing, a timestamp that is not one, a record twice. A page with no records
/// is left as it is.
/// </summary>
internal static class PageSpoiler
{
    public const string NotATimestamp = "not-a-timestamp";
    private const string ValueProperty = "value";

    public static byte[] Spoil(byte[] page, FaultRule rule, RecordFields fields)
    {
        var root = JsonNode.Parse(page);
        var records = root switch
        {
            JsonArray array => array,
            JsonObject obj when obj[ValueProperty] is JsonArray value => value,
            _ => null,
        };

        switch (rule.Kind)
        {
            case FaultKind.MissingField when rule.Field == ValueProperty && root is JsonObject pageObject:
                pageObject.Remove(ValueProperty);
                break;
            case FaultKind.MissingField when records is [JsonObject first, ..]:
                first.Remove(rule.Field ?? fields.Id);
                break;
            case FaultKind.BadTimestamp when records is [JsonObject first, ..]:
                first[rule.Field ?? fields.Time] = NotATimestamp;
                break;
            case FaultKind.DuplicateRecords when records is [JsonNode first, ..]:
                records.Insert(1, first.DeepClone());
                break;
        }

        return Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
    }
}
