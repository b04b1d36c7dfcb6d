using Defender.Mssp.Grains.Polling;
using Defender.Mssp.Grains.Tests.Fakes;
using Defender.Mssp.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Grains.Tests;

public sealed class PollingOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        var options = Resolve([]);

        Assert.Equal(TimeSpan.FromMinutes(5), options.Overlap);
        Assert.Equal(TimeSpan.FromMinutes(1), options.IngestionDelay);
        Assert.Equal(500, options.MaxBatchSize);
        Assert.Equal(0.1, options.Jitter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.CheckpointMaxAge);
        Assert.Equal(TimeSpan.FromSeconds(30), options.InitialFailureBackoff);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxFailureBackoff);
    }

    [Fact]
    public void Values_bind_from_the_polling_section()
    {
        var options = Resolve(new() { ["Polling:Overlap"] = "00:10:00", ["Polling:MaxBatchSize"] = "50", ["Polling:Jitter"] = "0.25" });

        Assert.Equal(TimeSpan.FromMinutes(10), options.Overlap);
        Assert.Equal(50, options.MaxBatchSize);
        Assert.Equal(0.25, options.Jitter);
    }

    [Theory]
    [InlineData("Polling:MaxBatchSize", "0")]
    [InlineData("Polling:Jitter", "0.9")]
    [InlineData("Polling:Overlap", "-00:01:00")]
    [InlineData("Polling:CheckpointMaxAge", "00:00:00")]
    [InlineData("Polling:MaxFailureBackoff", "00:00:10")]
    public void Invalid_values_are_rejected(string key, string value)
    {
        var exception = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains(key.Split(':')[1], exception.Message);
    }

    [Fact]
    public void AddTenantGrains_registers_the_shared_grain_services()
    {
        var harness = new GrainHarness();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IRecordSource>(harness.Incidents)
            .AddSingleton<IRecordSource>(harness.Siem)
            .AddSingleton<Sinks.IRecordSink>(harness.Sink)
            .AddTenantGrains(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var grainServices = provider.GetRequiredService<TenantGrainServices>();

        Assert.Equal([DefenderSources.Incidents, DefenderSources.Siem], grainServices.Sources.Keys.Order());
        Assert.Same(TimeProvider.System, grainServices.TimeProvider);
        Assert.Same(harness.Sink, grainServices.Sink);
    }

    private static PollingOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddTenantGrains(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PollingOptions>>().Value;
    }
}
