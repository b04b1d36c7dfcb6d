using System.Text.Json;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Records;
using Defender.Mssp.Storage;

namespace Defender.Mssp.Grains.Tests;

public sealed class TenantGrainStateTests
{
    [Fact]
    public void State_round_trips_through_the_grain_storage_json_without_losing_precision()
    {
        var at = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero).AddTicks(1234567);
        var state = new TenantGrainState
        {
            Health = TenantHealth.Throttled,
            LastOutcome = PollOutcome.PartiallyFailed,
            LastError = new TenantError { Code = "http_429", Message = "Too many requests", Source = "incidents", At = at },
            OwnerSiloId = "silo-1",
            ConsecutiveFailures = 2,
            NextPollNotBefore = at,
            Sources =
            {
                ["incidents"] = new SourceCheckpoint
                {
                    Watermark = at,
                    Seen = [new RecordKey("17", at), new RecordKey("17", at.AddTicks(1))],
                    RecordsDelivered = 9,
                    Health = TenantHealth.Throttled,
                    RetryNotBefore = at.AddMinutes(1),
                },
            },
        };

        var json = JsonSerializer.Serialize(state, GrainStateJson.Options);
        var back = JsonSerializer.Deserialize<TenantGrainState>(json, GrainStateJson.Options)!;

        Assert.Contains("\"health\":\"Throttled\"", json);
        Assert.Equal(JsonSerializer.Serialize(back, GrainStateJson.Options), json);
        Assert.Equal(state.Sources["incidents"].Seen, back.Sources["incidents"].Seen);
    }
}
