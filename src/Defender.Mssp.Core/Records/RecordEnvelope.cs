using System.Text.Json;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Records;

/// <summary>What a sink writes for each record version: where it came from, its keys, and the record as served.</summary>
public sealed record RecordEnvelope(
    [property: JsonPropertyName("tenantId")] string TenantId,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("lastUpdateTime")] DateTimeOffset LastUpdateTime,
    [property: JsonPropertyName("idempotencyKey")] string IdempotencyKey,
    [property: JsonPropertyName("receivedAt")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("record")] JsonElement Record);
