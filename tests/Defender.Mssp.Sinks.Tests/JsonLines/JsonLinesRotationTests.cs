using Defender.Mssp.Sources;
using Defender.Mssp.TestKit;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests.JsonLines;

public sealed class JsonLinesRotationTests : IDisposable
{
    private const string Tenant = TestRecords.Tenant;
    private const string Source = DefenderSources.Incidents;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "jsonl-rotation-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new(TestRecords.T0);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Without_rotation_settings_everything_stays_in_the_one_active_file()
    {
        var sink = Sink(new JsonLinesSinkOptions());

        for (var i = 1; i <= 3; i++)
        {
            await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple($"{i}")], CancellationToken.None);
            _clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal([sink.GetFilePath(Tenant, Source)], Directory.GetFiles(Path.Combine(_root, Tenant)));
    }

    [Fact]
    public async Task A_full_file_is_rotated_before_the_batch_that_would_overflow_it_and_reading_follows_delivery_order()
    {
        // One record is about 250 bytes: two fit under the limit, a third does not.
        var sink = Sink(new JsonLinesSinkOptions { MaxFileSizeBytes = 600 });

        for (var i = 1; i <= 12; i++)
        {
            await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple($"{i}")], CancellationToken.None);
        }

        var files = JsonLinesSinkReader.GetFiles(_root, Tenant, Source);
        Assert.Equal(sink.GetFilePath(Tenant, Source), files[^1]);
        Assert.Equal(
            Enumerable.Range(1, files.Count - 1).Select(n => $"{Source}.2026-01-05.{n}.jsonl"),
            files.SkipLast(1).Select(Path.GetFileName));
        Assert.True(files.Count >= 5, $"expected several rotated files, got {files.Count}");
        Assert.All(files, file => Assert.InRange(new FileInfo(file).Length, 1, 600));
        // Sequence numbers past 9 sort as numbers, not text.
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"{i}"), JsonLinesSinkReader.Read(_root, Tenant, Source).Select(envelope => envelope.Id));
    }

    [Fact]
    public async Task A_batch_larger_than_the_limit_is_written_whole_in_a_file_of_its_own()
    {
        var sink = Sink(new JsonLinesSinkOptions { MaxFileSizeBytes = 300 });

        await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple("1")], CancellationToken.None);
        await sink.DeliverAsync(Tenant, Source, TestRecords.Simple(5, "big"), CancellationToken.None);

        var files = JsonLinesSinkReader.GetFiles(_root, Tenant, Source);
        Assert.Equal(2, files.Count);
        Assert.Equal(["1"], JsonLinesSinkReader.ReadFile(files[0]).Select(envelope => envelope.Id));
        Assert.Equal(5, JsonLinesSinkReader.ReadFile(files[1]).Count);
    }

    [Fact]
    public async Task The_first_batch_of_a_new_day_starts_a_new_file_and_the_old_one_is_named_by_its_day()
    {
        var sink = Sink(new JsonLinesSinkOptions { RollDaily = true });

        await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple("a")], CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(12));
        await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple("b")], CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(12));
        await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple("c")], CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(2));
        await sink.DeliverAsync(Tenant, Source, [TestRecords.Simple("d")], CancellationToken.None);

        var files = JsonLinesSinkReader.GetFiles(_root, Tenant, Source).Select(Path.GetFileName);
        Assert.Equal([$"{Source}.2026-01-05.1.jsonl", $"{Source}.2026-01-06.1.jsonl", $"{Source}.jsonl"], files);
        Assert.Equal(["a", "b", "c", "d"], JsonLinesSinkReader.Read(_root, Tenant, Source).Select(envelope => envelope.Id));
        Assert.Equal(["a", "b", "c", "d"], JsonLinesSinkReader.ReadAll(_root).Select(envelope => envelope.Id));
    }

    [Fact]
    public async Task A_restarted_sink_learns_the_day_of_the_active_file_from_its_first_line()
    {
        await Sink(new JsonLinesSinkOptions { RollDaily = true })
            .DeliverAsync(Tenant, Source, [TestRecords.Simple("yesterday")], CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(1));

        var restarted = Sink(new JsonLinesSinkOptions { RollDaily = true });
        await restarted.DeliverAsync(Tenant, Source, [TestRecords.Simple("today")], CancellationToken.None);

        var files = JsonLinesSinkReader.GetFiles(_root, Tenant, Source);
        Assert.Equal([$"{Source}.2026-01-05.1.jsonl", $"{Source}.jsonl"], files.Select(Path.GetFileName));
        Assert.Equal(["yesterday"], JsonLinesSinkReader.ReadFile(files[0]).Select(envelope => envelope.Id));
    }

    [Fact]
    public async Task Rotated_files_of_other_sources_and_tenants_are_not_read_as_this_ones()
    {
        var sink = Sink(new JsonLinesSinkOptions { MaxFileSizeBytes = 1 });
        await sink.DeliverAsync(Tenant, "graph-incidents", [TestRecords.Simple("g1")], CancellationToken.None);
        await sink.DeliverAsync(Tenant, "graph-incidents", [TestRecords.Simple("g2")], CancellationToken.None);
        await sink.DeliverAsync(Tenant, "graph", [TestRecords.Simple("x1")], CancellationToken.None);
        await sink.DeliverAsync(Tenant, "graph", [TestRecords.Simple("x2")], CancellationToken.None);
        await sink.DeliverAsync(TestRecords.OtherTenant, "graph", [TestRecords.Simple("o1")], CancellationToken.None);

        Assert.Equal(["x1", "x2"], JsonLinesSinkReader.Read(_root, Tenant, "graph").Select(envelope => envelope.Id));
        Assert.Equal(["g1", "g2"], JsonLinesSinkReader.Read(_root, Tenant, "graph-incidents").Select(envelope => envelope.Id));
    }

    private JsonLinesFileSink Sink(JsonLinesSinkOptions options)
    {
        options.Path = _root;
        return new JsonLinesFileSink(Options.Create(options), _clock);
    }
}
