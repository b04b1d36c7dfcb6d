using System.Text;
using System.Text.Json;
using Defender.Mssp.Defender.DeadLetters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Tests.Faults;

public sealed class DeadLetterSinkTests
{
    [Fact]
    public void The_dead_letter_folder_defaults_to_one_next_to_the_json_lines_sink()
    {
        var sink = Path.Combine(Path.GetTempPath(), "mssp-data", "sink");
        using var provider = Provider(new() { ["Sinks:JsonLines:Path"] = sink });

        var options = provider.GetRequiredService<IOptions<DeadLetterOptions>>().Value;

        Assert.Equal(Path.Combine(Path.GetTempPath(), "mssp-data", "dead-letter"), options.Path);
        Assert.IsType<FileDeadLetterSink>(provider.GetRequiredService<IDeadLetterSink>());
    }

    [Fact]
    public void An_explicit_dead_letter_path_wins()
    {
        using var provider = Provider(new() { ["Sinks:JsonLines:Path"] = "/data/sink", ["Defender:DeadLetter:Path"] = "/var/poison" });

        Assert.Equal("/var/poison", provider.GetRequiredService<IOptions<DeadLetterOptions>>().Value.Path);
    }

    [Fact]
    public async Task Each_tenant_gets_its_own_folder_with_one_json_line_per_poison_record_and_no_way_out_of_the_root()
    {
        var root = Path.Combine(Path.GetTempPath(), "dead-letter-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sink = new FileDeadLetterSink(Options.Create(new DeadLetterOptions { Path = root }));
            var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
            await sink.WriteAsync(
            [
                new DeadLetter("tenant-a", "incidents", "no id", Encoding.UTF8.GetBytes("{\"x\":1}"), at),
                new DeadLetter("../../escape", "siem", "not JSON at all", Encoding.UTF8.GetBytes("<html>"), at),
            ], CancellationToken.None);

            var line = Assert.Single(File.ReadAllLines(Path.Combine(root, "tenant-a", "incidents.jsonl")));
            var letter = JsonDocument.Parse(line).RootElement;
            Assert.Equal("no id", letter.GetProperty("reason").GetString());
            Assert.Equal("{\"x\":1}", letter.GetProperty("raw").GetString());
            Assert.Equal("tenant-a", letter.GetProperty("tenantId").GetString());
            Assert.All(Directory.GetFiles(Path.GetDirectoryName(root)!, "*.jsonl", SearchOption.TopDirectoryOnly), f => Assert.DoesNotContain("siem", f));
            Assert.Single(Directory.GetFiles(root, "siem.jsonl", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>(Defender.Configuration.DefenderEndpointsConfiguration.AllAt(new Uri("https://defender.test")));
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return new ServiceCollection().AddLogging()
            .AddDefenderClients(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .BuildServiceProvider();
    }
}
