namespace Defender.Mssp.Grains.Telemetry;

/// <summary>
/// The names the grain's telemetry uses: the product's meter and activity source (<c>Defender.Mssp</c>, the same name in
/// every library of the product), span names and attribute keys. Attribute keys follow OpenTelemetry's conventions:
/// dotted, lower case, the product's own under <c>defender.</c>, the standard ones (<c>error.type</c>) as specified.
/// </summary>
public static class GrainTelemetryNames
{
    /// <summary>The product's meter and activity source.</summary>
    public const string Product = "Defender.Mssp";

    public const string PollSpan = "defender.poll";
    public const string SinkDeliverSpan = "defender.sink.deliver";
    public const string CheckpointSaveSpan = "defender.checkpoint.save";

    public const string TenantId = "defender.tenant.id";
    public const string Source = "defender.source";
    public const string PollOutcome = "defender.poll.outcome";
    public const string TenantHealth = "defender.tenant.health";
    public const string RecordsDelivered = "defender.records.delivered";
    public const string StateWritten = "defender.state.written";
    public const string BatchSize = "defender.sink.batch.size";
    public const string ErrorType = "error.type";
}
