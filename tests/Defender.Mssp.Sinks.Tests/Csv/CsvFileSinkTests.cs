using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Defender.Mssp.Records;
using Defender.Mssp.Sinks.Csv;
using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests.Csv;

public sealed class CsvFileSinkTests : IDisposable
{
    private const string Tenant = TestRecords.Tenant;

    /// <summary>The fields of the alert in seed document 003 (SIEM API), in its order.</summary>
    private static readonly string[] SeedSiemFields =
    [
        "AlertTime", "ComputerDnsName", "AlertTitle", "Category", "Severity", "AlertId", "Actor", "LinkToWDATP", "IocName",
        "IocValue", "CreatorIocName", "CreatorIocValue", "Sha1", "FileName", "FilePath", "IpAddress", "Url", "IoaDefinitionId",
        "UserName", "AlertPart", "FullId", "LastProcessedTimeUtc", "ThreatCategory", "ThreatFamily", "ThreatName",
        "RemediationAction", "RemediationIsSuccess", "Source", "Md5", "Sha256", "WasExecutingWhileDetected", "UserDomain",
        "LogOnUsers", "MachineDomain", "MachineName", "InternalIPv4List", "InternalIPv6List", "FileHash", "DeviceID",
        "MachineGroup", "Description", "DeviceCreatedMachineTags", "CloudCreatedMachineTags", "CommandLine",
        "IncidentLinkToWDATP", "ReportID", "LinkToMTP", "IncidentLinkToMTP", "ExternalId", "IocUniqueId",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "csv-sink-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(TestRecords.T0);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Rows_parsed_back_by_CsvHelper_equal_the_envelopes_of_the_records()
    {
        var records = new[]
        {
            TestRecords.HostileSiemAlert("da1_1", TestRecords.T0.AddTicks(1234567)),
            TestRecords.SiemAlert("da1_2", TestRecords.T0.AddSeconds(1), title: "Ünïcödé — \"quoted\", comma"),
            new DefenderRecord("da1_3", TestRecords.T0.AddSeconds(2), "{\r\n  \"AlertId\": \"da1_3\",\n  \"Nested\": {\"a\": [1, 2]}\n}"u8.ToArray()),
        };

        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, records, CancellationToken.None);

        var rows = ReadRows(FileOf(DefenderSources.Siem));
        Assert.Equal(records.Length, rows.Count);
        for (var i = 0; i < records.Length; i++)
        {
            var expected = RecordEnvelopes.Create(Tenant, DefenderSources.Siem, records[i], _clock.GetUtcNow());
            var actual = Envelope(rows[i]);
            Assert.Equal(
                (expected.TenantId, expected.Source, expected.Id, expected.LastUpdateTime, expected.IdempotencyKey, expected.ReceivedAt),
                (actual.TenantId, actual.Source, actual.Id, actual.LastUpdateTime, actual.IdempotencyKey, actual.ReceivedAt));
            Assert.True(JsonElement.DeepEquals(expected.Record, actual.Record), $"record {i} differs");
        }

        // Field columns hold the values as the record states them: quotes, commas and line breaks intact.
        Assert.Equal("Mimikatz | credential=theft \\ by \"admin\", again\nsecond line", rows[0]["AlertTitle"]);
        Assert.Equal("first line\nsecond=line | pipe\r\nthird \\ backslash, \"quoted\" and a trailing backslash \\", rows[0]["Description"]);
        Assert.Equal("1053729833", rows[0]["ReportID"]);
        Assert.Equal("", rows[0]["RemediationIsSuccess"]);
        Assert.Equal("Ünïcödé — \"quoted\", comma", rows[1]["AlertTitle"]);
    }

    [Fact]
    public async Task The_siem_columns_are_the_envelope_the_seed_samples_fields_and_the_record_last()
    {
        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("da2", TestRecords.T0)], CancellationToken.None);

        using var reader = CsvReader.Create(await File.ReadAllBytesAsync(FileOf(DefenderSources.Siem)), ReaderOptions);
        reader.ReadHeader();
        Assert.Equal(
            ["envelope.tenantId", "envelope.source", "envelope.id", "envelope.lastUpdateTime", "envelope.idempotencyKey", "envelope.receivedAt",
             .. SeedSiemFields, "envelope.record"],
            reader.Headers);
    }

    [Fact]
    public async Task Every_source_has_a_stable_column_set_and_an_unknown_source_keeps_the_envelope_and_record()
    {
        var sink = Sink();
        var incident = new DefenderRecord("924565", TestRecords.T0, """{"incidentId":924565,"incidentName":"Multi-stage","status":"Active","severity":"High","tags":["a","b"],"alerts":[{"alertId":"da1"}]}"""u8.ToArray());

        await sink.DeliverAsync(Tenant, DefenderSources.Incidents, [incident], CancellationToken.None);
        await sink.DeliverAsync(Tenant, "custom-feed", [TestRecords.Simple("c1")], CancellationToken.None);

        var incidents = ReadRows(FileOf(DefenderSources.Incidents));
        Assert.Equal("924565", Assert.Single(incidents)["incidentId"]);
        Assert.Equal("""["a","b"]""", incidents[0]["tags"]);
        Assert.False(incidents[0].ContainsKey("alerts"));
        var custom = Assert.Single(ReadRows(FileOf("custom-feed")));
        Assert.Equal(7, custom.Count);
        Assert.Equal("c1", custom["envelope.id"]);
    }

    [Fact]
    public async Task The_header_is_written_once_per_file_and_later_batches_append()
    {
        var sink = Sink();

        await sink.DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("a", TestRecords.T0)], CancellationToken.None);
        await sink.DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("b", TestRecords.T0), TestRecords.SiemAlert("c", TestRecords.T0)], CancellationToken.None);
        // A new instance (a restart) appends to the same file without a second header.
        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("d", TestRecords.T0)], CancellationToken.None);

        var text = await File.ReadAllTextAsync(FileOf(DefenderSources.Siem));
        Assert.Equal(1, CountOccurrences(text, "\"envelope.tenantId\""));
        Assert.Equal(["a", "b", "c", "d"], ReadRows(FileOf(DefenderSources.Siem)).Select(row => row["envelope.id"]));
    }

    [Fact]
    public async Task Each_tenant_source_and_day_gets_its_own_file()
    {
        var sink = Sink();

        await sink.DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("a", TestRecords.T0)], CancellationToken.None);
        await sink.DeliverAsync(Tenant, DefenderSources.Incidents, [TestRecords.Simple("i")], CancellationToken.None);
        await sink.DeliverAsync(TestRecords.OtherTenant, DefenderSources.Siem, [TestRecords.SiemAlert("o", TestRecords.T0)], CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));
        await sink.DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("b", TestRecords.T0)], CancellationToken.None);

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(_root, file).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            $"{TestRecords.OtherTenant}/siem-2026-01-05.csv",
            $"{Tenant}/incidents-2026-01-05.csv",
            $"{Tenant}/siem-2026-01-05.csv",
            $"{Tenant}/siem-2026-01-06.csv",
        ], files);
        Assert.Equal(["b"], ReadRows(Path.Combine(_root, Tenant, "siem-2026-01-06.csv")).Select(row => row["envelope.id"]));
    }

    [Fact]
    public async Task A_row_torn_inside_a_quoted_field_is_cut_off_before_the_next_batch()
    {
        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.HostileSiemAlert("a", TestRecords.T0)], CancellationToken.None);
        var path = FileOf(DefenderSources.Siem);
        var complete = new FileInfo(path).Length;
        // A crash mid-write: the row stops inside a quoted field that holds a line break.
        await File.AppendAllTextAsync(path, $"\"{Tenant}\",\"siem\",\"b\",\"2026-01-05\",\"k\",\"x\",\"2020\",\"host\",\"torn-marker\r\nsecond line");

        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("c", TestRecords.T0)], CancellationToken.None);

        Assert.Equal(["a", "c"], ReadRows(path).Select(row => row["envelope.id"]));
        Assert.DoesNotContain("torn-marker", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.True(new FileInfo(path).Length > complete);
    }

    [Fact]
    public async Task A_file_torn_inside_its_header_is_started_again()
    {
        var path = Path.Combine(_root, Tenant, "siem-2026-01-05.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "\"envelope.tenantId\",\"envelope.sou");

        await Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("a", TestRecords.T0)], CancellationToken.None);

        Assert.Equal(["a"], ReadRows(path).Select(row => row["envelope.id"]));
    }

    [Fact]
    public async Task A_record_that_is_not_a_json_object_fails_the_batch_before_anything_is_written()
    {
        var broken = new DefenderRecord("x", TestRecords.T0, "[1,2]"u8.ToArray());

        await Assert.ThrowsAnyAsync<JsonException>(() =>
            Sink().DeliverAsync(Tenant, DefenderSources.Siem, [TestRecords.SiemAlert("a", TestRecords.T0), broken], CancellationToken.None));

        Assert.False(Directory.Exists(_root));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Unsafe_tenant_ids_are_rejected(string tenantId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Sink().DeliverAsync(tenantId, DefenderSources.Siem, [TestRecords.SiemAlert("a", TestRecords.T0)], CancellationToken.None));
    }

    private static readonly CsvReaderOptions ReaderOptions = new() { Separator = ',', HasHeader = true };

    private CsvFileSink Sink() => new(Options.Create(new CsvSinkOptions { Path = _root }), _clock);

    private string FileOf(string source) => Path.Combine(_root, Tenant, $"{source}-2026-01-05.csv");

    private static List<Dictionary<string, string>> ReadRows(string path)
    {
        using var reader = CsvReader.Create(File.ReadAllBytes(path), ReaderOptions);
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            var headers = reader.Headers;
            Assert.Equal(headers.Count, reader.FieldCount);
            rows.Add(Enumerable.Range(0, headers.Count).ToDictionary(i => headers[i], reader.GetString, StringComparer.Ordinal));
        }

        return rows;
    }

    private static RecordEnvelope Envelope(Dictionary<string, string> row)
    {
        using var record = JsonDocument.Parse(row["envelope.record"]);
        return new RecordEnvelope(
            row["envelope.tenantId"], row["envelope.source"], row["envelope.id"],
            DateTimeOffset.Parse(row["envelope.lastUpdateTime"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            row["envelope.idempotencyKey"],
            DateTimeOffset.Parse(row["envelope.receivedAt"], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            record.RootElement.Clone());
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
