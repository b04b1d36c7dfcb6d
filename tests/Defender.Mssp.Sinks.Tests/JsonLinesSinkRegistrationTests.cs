using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks.Tests;

public sealed class JsonLinesSinkRegistrationTests
{
    [Fact]
    public void The_sink_is_the_record_sink_and_writes_under_the_configured_path()
    {
        var root = Path.Combine(Path.GetTempPath(), "configured-sink");
        using var provider = Build(new() { ["Sinks:JsonLines:Path"] = root });

        var sink = Assert.IsType<JsonLinesFileSink>(provider.GetRequiredService<IRecordSink>());

        Assert.Equal(Path.GetFullPath(root), sink.RootPath);
        Assert.Same(sink, provider.GetRequiredService<JsonLinesFileSink>());
    }

    [Fact]
    public void The_default_path_is_sink_under_the_working_directory()
    {
        using var provider = Build([]);

        Assert.Equal(Path.GetFullPath("./sink"), provider.GetRequiredService<JsonLinesFileSink>().RootPath);
    }

    [Fact]
    public void An_empty_path_is_rejected()
    {
        using var provider = Build(new() { ["Sinks:JsonLines:Path"] = "" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JsonLinesSinkOptions>>().Value);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddJsonLinesSink(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
