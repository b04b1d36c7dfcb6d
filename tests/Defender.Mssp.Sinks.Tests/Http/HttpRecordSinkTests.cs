using System.Text.Json;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Http;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;
using Defender.Mssp.TestKit;

namespace Defender.Mssp.Sinks.Tests.Http;

public sealed class HttpRecordSinkTests : HttpSinkTestBase
{
    private const string Tenant = TestRecords.Tenant;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_batch_is_posted_as_an_array_of_envelopes_with_the_configured_headers()
    {
        var clock = new ManualTimeProvider(TestRecords.T0);
        var options = Options();
        options.Headers["X-Customer"] = "contoso";
        options.SecretHeaders["X-Api-Key"] = new Secret("key-123");
        using var sink = new HttpRecordSink("collector", options, clock);
        var records = new[] { TestRecords.HostileSiemAlert("a", TestRecords.T0), TestRecords.Simple("b") };

        await sink.DeliverAsync(Tenant, DefenderSources.Siem, records, CancellationToken.None);

        var request = Assert.Single(Receiver.Requests);
        Assert.Equal(("POST", "/ingest"), (request.Method, request.Path));
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal("contoso", request.Headers["X-Customer"]);
        Assert.Equal("key-123", request.Headers["X-Api-Key"]);
        Assert.False(request.Headers.ContainsKey("Content-Encoding"));
        var envelopes = JsonSerializer.Deserialize<RecordEnvelope[]>(request.Body)!;
        Assert.Equal(records.Length, envelopes.Length);
        for (var i = 0; i < records.Length; i++)
        {
            var expected = RecordEnvelopes.Create(Tenant, DefenderSources.Siem, records[i], clock.GetUtcNow());
            Assert.Equal((expected.Id, expected.IdempotencyKey, expected.LastUpdateTime, expected.ReceivedAt), (envelopes[i].Id, envelopes[i].IdempotencyKey, envelopes[i].LastUpdateTime, envelopes[i].ReceivedAt));
            Assert.True(JsonElement.DeepEquals(expected.Record, envelopes[i].Record));
        }
    }

    [Fact]
    public async Task A_large_batch_is_split_into_requests_sent_in_order()
    {
        var options = Options();
        options.MaxRecordsPerRequest = 4;
        options.Gzip = true;
        using var sink = new HttpRecordSink("collector", options, TimeProvider.System);

        await sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(10), CancellationToken.None);

        Assert.Equal([4, 4, 2], Receiver.Requests.Select(request => JsonSerializer.Deserialize<RecordEnvelope[]>(request.Body)!.Length));
        Assert.All(Receiver.Requests, request => Assert.Equal("gzip", request.Headers["Content-Encoding"]));
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => $"r{i}"),
            Receiver.Requests.SelectMany(request => JsonSerializer.Deserialize<RecordEnvelope[]>(request.Body)!).Select(envelope => envelope.Id));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_the_same_body_until_the_batch_is_accepted()
    {
        Receiver.Fail(2, 500);
        Receiver.Fail(1, 502);
        using var sink = new HttpRecordSink("collector", Options(), TimeProvider.System);

        await sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(3), CancellationToken.None);

        Assert.Equal([500, 500, 502, 200], Receiver.Requests.Select(request => request.Status));
        Assert.Single(Receiver.Requests.Select(request => request.BodyText).Distinct());
    }

    [Fact]
    public async Task Retries_are_bounded_and_then_the_batch_fails_as_unavailable()
    {
        Receiver.GoDown();
        var options = Options();
        options.MaxRetryAttempts = 3;
        using var sink = new HttpRecordSink("collector", options, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<SinkUnavailableException>(() =>
            sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(2), CancellationToken.None));

        Assert.Equal(4, Receiver.Requests.Count);
        Assert.True(failure.IsTransient);
        Assert.Contains("503", failure.Message);
        Assert.Equal("collector", failure.SinkName);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_Retry_After_the_collector_asked_for_and_not_before()
    {
        var clock = new ManualTimeProvider(TestRecords.T0);
        Receiver.Fail(1, 429, retryAfter: TimeSpan.FromSeconds(5));
        var options = Options();
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(10); // what it would wait without Retry-After
        options.Timeout = TimeSpan.FromHours(1);
        using var sink = new HttpRecordSink("collector", options, clock);

        var delivery = sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(1), CancellationToken.None);
        await Receiver.WaitForRequestsAsync(1, Generous);
        await WaitForTimerDueAsync(clock, clock.GetUtcNow() + TimeSpan.FromSeconds(5));

        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Single(Receiver.Requests);
        Assert.False(delivery.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await delivery.WaitAsync(Generous);
        Assert.Equal([429, 200], Receiver.Requests.Select(request => request.Status));
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_longest_retry_delay_fails_the_batch_at_once()
    {
        Receiver.Fail(1, 429, retryAfter: TimeSpan.FromMinutes(10));
        using var sink = new HttpRecordSink("collector", Options(), TimeProvider.System);

        var failure = await Assert.ThrowsAsync<SinkUnavailableException>(() =>
            sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(1), CancellationToken.None));

        Assert.Equal(TimeSpan.FromMinutes(10), failure.RetryAfter);
        Assert.Single(Receiver.Requests);
    }

    [Fact]
    public async Task A_request_that_hangs_is_abandoned_after_the_timeout_and_sent_again()
    {
        var clock = new ManualTimeProvider(TestRecords.T0);
        Receiver.Hang(1);
        var options = Options();
        options.Timeout = TimeSpan.FromSeconds(10);
        using var sink = new HttpRecordSink("collector", options, clock);

        var delivery = sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(2), CancellationToken.None);
        await Receiver.WaitForRequestsAsync(1, Generous);
        await WaitForTimerDueAsync(clock, clock.GetUtcNow() + TimeSpan.FromSeconds(10));
        Assert.False(delivery.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10));
        await delivery.WaitAsync(Generous);

        Assert.Equal([0, 200], Receiver.Requests.Select(request => request.Status));
    }

    [Fact]
    public async Task A_client_error_is_a_fault_naming_the_status_not_retried_and_without_secrets()
    {
        const string token = "hec-token-0123456789";
        Receiver.Fail(1, 400, body: $"{{\"text\":\"Invalid data format\",\"code\":6,\"echo\":\"Splunk {token}\",\"key\":\"key-123\"}}");
        var options = Options(HttpSinkFlavour.SplunkHec);
        options.Token = new Secret(token);
        options.SecretHeaders["X-Api-Key"] = new Secret("key-123");
        using var sink = new HttpRecordSink("splunk", options, TimeProvider.System);

        var fault = await Assert.ThrowsAsync<SinkFaultException>(() =>
            sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(1), CancellationToken.None));

        Assert.Single(Receiver.Requests);
        Assert.Equal(400, fault.StatusCode);
        Assert.False(fault.IsTransient);
        Assert.Contains("400", fault.Message);
        Assert.Contains("Invalid data format", fault.Message);
        Assert.DoesNotContain(token, fault.Message);
        Assert.DoesNotContain("key-123", fault.Message);
    }

    [Fact]
    public async Task A_server_certificate_outside_the_trust_store_is_refused_as_a_fault()
    {
        var options = Options();
        options.TrustedCertificatesPath = null;
        using var sink = new HttpRecordSink("collector", options, TimeProvider.System);

        var fault = await Assert.ThrowsAsync<SinkFaultException>(() =>
            sink.DeliverAsync(Tenant, DefenderSources.Incidents, TestRecords.Simple(1), CancellationToken.None));

        Assert.Contains("not trusted", fault.Message);
        Assert.Empty(Receiver.Requests);
    }

    [Fact]
    public async Task Nothing_is_lost_across_an_outage_and_each_tenants_records_arrive_in_order()
    {
        const int batches = 8;
        var options = Options();
        options.MaxRetryAttempts = 1;
        options.Timeout = TimeSpan.FromSeconds(1); // for the hung request
        using var sink = new HttpRecordSink("collector", options, TimeProvider.System);
        var tenants = new[] { Tenant, TestRecords.OtherTenant };
        Receiver.Fail(3, 500);
        Receiver.Hang(1);
        Receiver.Fail(2, 429, retryAfter: TimeSpan.Zero);
        Receiver.GoDown();
        var outage = Task.Run(async () =>
        {
            await Receiver.WaitForRequestsAsync(20, Generous);
            Receiver.Recover();
        });

        // As the grain does: a tenant's next batch only after the previous one was acknowledged.
        await Task.WhenAll(tenants.Select(tenant => Task.Run(async () =>
        {
            for (var batch = 0; batch < batches; batch++)
            {
                var records = Enumerable.Range(0, 5).Select(i => TestRecords.Simple($"{tenant[..4]}-{batch}-{i}")).ToArray();
                while (true)
                {
                    try
                    {
                        await sink.DeliverAsync(tenant, DefenderSources.Incidents, records, CancellationToken.None);
                        break;
                    }
                    catch (SinkUnavailableException)
                    {
                        await Task.Yield();
                    }
                }
            }
        })));
        await outage;

        foreach (var tenant in tenants)
        {
            var accepted = Receiver.Accepted
                .SelectMany(request => JsonSerializer.Deserialize<RecordEnvelope[]>(request.Body)!)
                .Where(envelope => envelope.TenantId == tenant)
                .Select(envelope => envelope.Id)
                .ToList();
            var expected = Enumerable.Range(0, batches).SelectMany(batch => Enumerable.Range(0, 5).Select(i => $"{tenant[..4]}-{batch}-{i}"));
            // Every record, once, in the tenant's order: failed and abandoned requests were never accepted.
            Assert.Equal(expected, accepted);
        }
    }

    /// <summary>Waits (bounded) until the sink has scheduled a timer due at <paramref name="dueAt"/>: it is now waiting on the clock.</summary>
    private static async Task WaitForTimerDueAsync(ManualTimeProvider clock, DateTimeOffset dueAt)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (clock.NextTimerDueAt != dueAt)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no timer due at {dueAt:O}; next is {clock.NextTimerDueAt:O}");
            await Task.Delay(5);
        }
    }
}
