using Defender.Mssp.Records;

namespace Defender.Mssp.Sinks.Tests.Records;

/// <summary>
/// The idempotency key is a contract with every SIEM that de-duplicates on it: a record delivered again after an
/// upgrade must carry the key it carried before. These known answers pin the exact value.
/// </summary>
public sealed class IdempotencyKeyTests
{
    private static readonly DateTimeOffset Updated = new(2026, 1, 5, 7, 30, 0, 123, TimeSpan.Zero);

    [Theory]
    // The first 16 bytes of SHA-256("{tenant}|{source}|{id}|{UTC ticks}") in lower-case hex.
    [InlineData(TestRecords.Tenant, "siem", "da637371153601234567_-1428941413", "bfdaf173d05d876c8b33bbc241a02cf5")]
    [InlineData(TestRecords.Tenant, "incidents", "924565", "086c8166b24bef0fc70a2282bb16f079")]
    [InlineData(TestRecords.OtherTenant, "graph-alerts", "ïd with ünicode and | bars", "90d0ce23df8fa05aa68626d7cbce87bb")]
    public void Is_the_documented_hash_of_tenant_source_id_and_update_time(string tenant, string source, string id, string expected) =>
        Assert.Equal(expected, IdempotencyKey.Compute(tenant, source, new RecordKey(id, Updated)));

    [Fact]
    public void Depends_on_the_update_time_in_UTC_only()
    {
        var key = IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey("a", Updated));
        Assert.Equal(key, IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey("a", Updated.ToOffset(TimeSpan.FromHours(5)))));
        Assert.NotEqual(key, IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey("a", Updated.AddTicks(1))));
    }

    [Fact]
    public void Hashes_a_lone_surrogate_as_the_replacement_character_as_UTF8_encoding_does() =>
        Assert.Equal(
            IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey("x\uFFFDy", Updated)),
            IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey("x\uD800y", Updated)));

    [Fact]
    public void Handles_an_id_longer_than_any_stack_buffer()
    {
        var id = new string('x', 5_000) + "é";
        var key = IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey(id, Updated));
        Assert.Matches("^[0-9a-f]{32}$", key);
        Assert.NotEqual(key, IdempotencyKey.Compute(TestRecords.Tenant, "siem", new RecordKey(id[..^1], Updated)));
    }
}
