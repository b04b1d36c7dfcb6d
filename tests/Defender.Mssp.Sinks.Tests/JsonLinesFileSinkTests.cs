using System.Text;
using System.Text.Json;
using Defender.Mssp.Records;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests;

public sealed class JsonLinesFileSinkTests : IDisposable
{
    private const string Tenant = "5b0c2f1e-8a1d-4c3b-9f6e-2d7a4e1b3c90";
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 7, 30, 0, TimeSpan.Zero);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "sink-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new();
    private readonly JsonLinesFileSink _sink;

    public JsonLinesFileSinkTests() =>
        _sink = new JsonLinesFileSink(Options.Create(new JsonLinesSinkOptions { Path = _root }), _clock);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Each_line_parses_back_to_the_envelope_of_its_record_with_the_raw_json_unchanged()
    {
        const string raw = """{"incidentId":924565,"lastUpdateTime":"2026-01-05T07:29:59.1234567Z","score":1.10000000000000000001,"title":"Mimikatz \u2014 \"credential\" theft","tags":[],"alerts":[{"id":"da637","devices":null}]}""";
        var records = new[]
        {
            new DefenderRecord("924565", T0.AddTicks(1234567), Encoding.UTF8.GetBytes(raw)),
            Record("924566", T0.AddSeconds(1)),
        };

        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, records, CancellationToken.None);

        var envelopes = JsonLinesSinkReader.Read(_root, Tenant, DefenderSources.Incidents);
        Assert.Equal(2, envelopes.Count);
        for (var i = 0; i < records.Length; i++)
        {
            var envelope = envelopes[i];
            Assert.Equal(
                (Tenant, DefenderSources.Incidents, records[i].Id, records[i].LastUpdateTime, _clock.GetUtcNow()),
                (envelope.TenantId, envelope.Source, envelope.Id, envelope.LastUpdateTime, envelope.ReceivedAt));
            Assert.Equal(IdempotencyKey.Compute(Tenant, DefenderSources.Incidents, records[i].Key), envelope.IdempotencyKey);
            Assert.Equal(Encoding.UTF8.GetString(records[i].Raw.Span), envelope.Record.GetRawText());
        }
    }

    [Fact]
    public async Task A_pretty_printed_record_is_written_on_one_line_and_means_the_same()
    {
        const string raw = "{\r\n  \"AlertId\": \"da6371\",\n  \"AlertTitle\": \"Suspicious\\nPowerShell\",\n  \"Severity\": \"High\"\n}";

        await _sink.DeliverAsync(Tenant, DefenderSources.Siem, [new DefenderRecord("da6371", T0, Encoding.UTF8.GetBytes(raw))], CancellationToken.None);

        var lines = await File.ReadAllLinesAsync(_sink.GetFilePath(Tenant, DefenderSources.Siem));
        var envelope = Assert.Single(JsonLinesSinkReader.Read(_root, Tenant, DefenderSources.Siem));
        Assert.Single(lines);
        using var expected = JsonDocument.Parse(raw);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, envelope.Record));
        Assert.Equal("Suspicious\nPowerShell", envelope.Record.GetProperty("AlertTitle").GetString());
    }

    [Fact]
    public async Task Each_tenant_gets_a_folder_and_each_source_a_file()
    {
        const string other = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("1", T0)], CancellationToken.None);
        await _sink.DeliverAsync(Tenant, DefenderSources.Siem, [Record("2", T0)], CancellationToken.None);
        await _sink.DeliverAsync(other, DefenderSources.Incidents, [Record("3", T0)], CancellationToken.None);

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(_root, file).Replace('\\', '/')).Order();
        Assert.Equal([$"{other}/incidents.jsonl", $"{Tenant}/incidents.jsonl", $"{Tenant}/siem.jsonl"], files);
        Assert.Equal(["3", "1", "2"], JsonLinesSinkReader.ReadAll(_root).Select(envelope => envelope.Id));
    }

    [Fact]
    public async Task Deliveries_append_in_order()
    {
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("1", T0), Record("2", T0)], CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("3", T0)], CancellationToken.None);

        var envelopes = JsonLinesSinkReader.Read(_root, Tenant, DefenderSources.Incidents);
        Assert.Equal(["1", "2", "3"], envelopes.Select(envelope => envelope.Id));
        Assert.Equal(_clock.GetUtcNow(), envelopes[2].ReceivedAt);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(1), envelopes[0].ReceivedAt);
    }

    [Fact]
    public async Task Concurrent_deliveries_to_one_file_never_interleave_their_lines()
    {
        const int writers = 8, batchesPerWriter = 20, recordsPerBatch = 25;
        // Large records, so an unserialised write would be split across several write calls and interleave.
        var padding = new string('x', 4000);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < batchesPerWriter; batch++)
            {
                var records = Enumerable.Range(0, recordsPerBatch)
                    .Select(i => Record($"w{writer}-b{batch}-r{i}", T0, padding)).ToList();
                await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, records, CancellationToken.None);
            }
        })));

        var ids = JsonLinesSinkReader.Read(_root, Tenant, DefenderSources.Incidents).Select(envelope => envelope.Id).ToList();
        Assert.Equal(writers * batchesPerWriter * recordsPerBatch, ids.Count);
        for (var start = 0; start < ids.Count; start += recordsPerBatch)
        {
            var batch = ids[start][..ids[start].LastIndexOf('-')];
            Assert.Equal(
                Enumerable.Range(0, recordsPerBatch).Select(i => $"{batch}-r{i}"),
                ids.Skip(start).Take(recordsPerBatch));
        }
    }

    [Fact]
    public async Task Records_are_in_the_file_when_delivery_returns()
    {
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("1", T0), Record("2", T0)], CancellationToken.None);

        // A reader of its own, as a log shipper would be: nothing may still sit in a buffer of the sink's.
        await using var stream = new FileStream(_sink.GetFilePath(Tenant, DefenderSources.Incidents), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        Assert.Equal(2, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.EndsWith("\n", text);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc")]
    [InlineData("")]
    [InlineData("tenant id")]
    [InlineData(".hidden")]
    [InlineData("-leading-hyphen")]
    [InlineData("00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000")]
    public async Task Tenant_ids_that_are_not_safe_folder_names_are_rejected(string tenantId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _sink.DeliverAsync(tenantId, DefenderSources.Incidents, [Record("1", T0)], CancellationToken.None));

        Assert.False(Directory.Exists(_root));
    }

    [Theory]
    [InlineData("../../../tmp/evil")]
    [InlineData("siem/../incidents")]
    [InlineData("siem.jsonl")]
    [InlineData("")]
    public async Task Source_names_that_are_not_safe_file_names_are_rejected(string source)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _sink.DeliverAsync(Tenant, source, [Record("1", T0)], CancellationToken.None));

        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public async Task A_record_that_is_not_json_fails_the_whole_batch_before_anything_is_written()
    {
        var broken = new DefenderRecord("2", T0, Encoding.UTF8.GetBytes("{\"id\":\"2\","));

        await Assert.ThrowsAnyAsync<JsonException>(() =>
            _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("1", T0), broken], CancellationToken.None));

        Assert.False(File.Exists(_sink.GetFilePath(Tenant, DefenderSources.Incidents)));
    }

    [Fact]
    public async Task After_a_torn_write_the_next_delivery_starts_on_a_new_line()
    {
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("1", T0)], CancellationToken.None);
        var path = _sink.GetFilePath(Tenant, DefenderSources.Incidents);
        await File.AppendAllTextAsync(path, "{\"tenantId\":\"" + Tenant + "\",\"source\":\"inci");

        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [Record("2", T0)], CancellationToken.None);

        Assert.Equal(["1", "2"], JsonLinesSinkReader.ReadFile(path, skipTornLines: true).Select(envelope => envelope.Id));
        Assert.ThrowsAny<JsonException>(() => JsonLinesSinkReader.ReadFile(path));
    }

    [Fact]
    public async Task An_empty_batch_writes_nothing()
    {
        await _sink.DeliverAsync(Tenant, DefenderSources.Incidents, [], CancellationToken.None);

        Assert.False(Directory.Exists(_root));
    }

    private static DefenderRecord Record(string id, DateTimeOffset time, string note = "") =>
        new(id, time, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","lastUpdateTime":"{{time:O}}","note":"{{note}}"}"""));
}
