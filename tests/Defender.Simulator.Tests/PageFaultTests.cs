using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Defender.Mssp.TestKit.Simulation;

namespace Defender.Simulator.Tests;

/// <summary>The fault kinds of issue 8 that spoil a page the simulator really served, and the rate-based rules.</summary>
public sealed class PageFaultTests
{
    private const string Page = "api/incidents?$top=5";

    [Fact]
    public async Task Retry_after_can_be_an_http_date_on_the_simulator_clock()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec
        {
            Status = 429, RetryAfterSeconds = 40, RetryAfterFormat = SimulatorRetryAfterFormat.HttpDate, Remaining = 1,
        });

        using var response = await sim.GetAsync(Page, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter!.Delta);
        Assert.Equal(TestSimulator.Start.AddSeconds(40), response.Headers.RetryAfter.Date);
    }

    [Fact]
    public async Task A_429_can_say_when_only_in_its_body()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec
        {
            Status = 429, RetryAfterSeconds = 12, RetryAfterFormat = SimulatorRetryAfterFormat.BodyOnly, Remaining = 1,
        });

        using var response = await sim.GetAsync(Page, token);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Contains("in 12 seconds", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Server_errors_are_injected_with_their_status(int status)
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Status = status, Remaining = 1 });

        using var failed = await sim.GetAsync(Page, token);
        using var healed = await sim.GetAsync(Page, token);

        Assert.Equal(status, (int)failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    [Fact]
    public async Task Truncated_json_is_the_first_half_of_the_real_page()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var whole = await ReadTextAsync(sim, token);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Kind = SimulatorFaultKind.TruncatedJson, Remaining = 1 });

        var truncated = await ReadTextAsync(sim, token);

        Assert.InRange(truncated.Length, 10, whole.Length - 10);
        Assert.StartsWith(truncated, whole, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(truncated));
    }

    [Fact]
    public async Task An_empty_200_has_no_body()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Kind = SimulatorFaultKind.EmptyBody, Remaining = 1 });

        using var response = await sim.GetAsync(Page, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_missing_field_leaves_the_first_record_without_its_id_or_the_page_without_value()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.SetFaultsAsync(tenant.TenantId,
        [
            new FaultSpec { Kind = SimulatorFaultKind.MissingField, Remaining = 1 },
            new FaultSpec { Kind = SimulatorFaultKind.MissingField, Field = "value", Remaining = 1 },
        ]);

        var spoiled = await sim.GetJsonAsync(Page, token);
        var noValue = await sim.GetJsonAsync(Page, token);

        var records = spoiled.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(5, records.Count);
        Assert.False(records[0].TryGetProperty("incidentId", out _));
        Assert.True(records[0].TryGetProperty("lastUpdateTime", out _));
        Assert.All(records.Skip(1), r => Assert.True(r.TryGetProperty("incidentId", out _)));
        Assert.False(noValue.TryGetProperty("value", out _));
        Assert.True(noValue.TryGetProperty("@odata.context", out _));
    }

    [Fact]
    public async Task A_bad_timestamp_spoils_the_first_records_time_field_only()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId, TestSimulator.SiemResource);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Kind = SimulatorFaultKind.BadTimestamp, Remaining = 1 });

        var page = await sim.GetJsonAsync("api/alerts?ago=PT2H", token);

        var records = page.EnumerateArray().ToList();
        Assert.True(records.Count > 1);
        Assert.Equal("not-a-timestamp", records[0].GetProperty("LastProcessedTimeUtc").GetString());
        Assert.All(records.Skip(1), r => Assert.True(DateTimeOffset.TryParse(r.GetProperty("LastProcessedTimeUtc").GetString(), out _)));
    }

    [Fact]
    public async Task Duplicate_records_repeat_the_first_record_within_the_page()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Kind = SimulatorFaultKind.DuplicateRecords, Remaining = 1 });

        var page = await sim.GetJsonAsync(Page, token);

        var ids = page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("incidentId").GetInt32()).ToList();
        Assert.Equal(6, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(5, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_mid_body_stall_sends_headers_and_part_of_the_page_then_holds_before_the_rest()
    {
        // TestClock has no timers of its own: the stall runs on real time here, so it is kept short.
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();
        var token = await sim.GetTokenAsync(tenant.TenantId);
        var whole = await ReadTextAsync(sim, token);
        await sim.Admin.AddFaultAsync(tenant.TenantId, new FaultSpec { Kind = SimulatorFaultKind.StallMidBody, StallSeconds = 3, Remaining = 1 });

        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await sim.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        var buffer = new byte[whole.Length];
        while (received.Length < whole.Length / 2)
        {
            var read = await body.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        Assert.True(received.Length < whole.Length, "the stall came after the whole page");
        // Cancelling a read would abort the connection: watch a pending one instead.
        var next = body.ReadAsync(buffer).AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(300))));

        received.Write(buffer, 0, await next);
        await body.CopyToAsync(received);
        Assert.Equal(whole, System.Text.Encoding.UTF8.GetString(received.ToArray()));
    }

    [Fact]
    public async Task A_probability_rule_hits_a_repeatable_share_of_requests_and_spares_the_rest()
    {
        var hits = new List<List<bool>>();
        var tenantId = Guid.NewGuid();
        for (var run = 0; run < 2; run++)
        {
            await using var sim = await TestSimulator.StartAsync();
            var tenant = await sim.AddTenantAsync(tenantId: tenantId);
            var token = await sim.GetTokenAsync(tenant.TenantId);
            await sim.Admin.SetFaultsAsync(tenant.TenantId, [new FaultSpec { Status = 503, Probability = 0.3, Remaining = 100 }]);
            var statuses = new List<bool>();
            for (var i = 0; i < 60; i++)
            {
                using var response = await sim.GetAsync(Page, token);
                statuses.Add(response.StatusCode == HttpStatusCode.ServiceUnavailable);
            }

            hits.Add(statuses);
            var left = Assert.Single((await sim.Admin.GetTenantAsync(tenant.TenantId))!.Faults);
            Assert.Equal(100 - statuses.Count(h => h), left.Remaining);
        }

        Assert.Equal(hits[0], hits[1]);
        Assert.InRange(hits[0].Count(h => h), 6, 30);
    }

    [Fact]
    public async Task A_probability_outside_zero_to_one_is_refused()
    {
        await using var sim = await TestSimulator.StartAsync();
        var tenant = await sim.AddTenantAsync();

        using var response = await sim.Http.PostAsJsonAsync(
            $"simulator/tenants/{tenant.TenantId}/faults", new FaultSpec { Probability = 1.5 }, SimulatorAdminClient.JsonOptions);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<string> ReadTextAsync(TestSimulator sim, string token)
    {
        using var response = await sim.GetAsync(Page, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
