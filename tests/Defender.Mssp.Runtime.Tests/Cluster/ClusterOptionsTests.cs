using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Runtime.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Runtime.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_as_documented()
    {
        var options = new ClusterOptions();

        Assert.Empty(Validate(options));
        Assert.Equal((30, 10, 5), ((int)options.LeaseDuration.TotalSeconds, (int)options.LeaseRenewalPeriod.TotalSeconds,
            (int)options.BalancingInterval.TotalSeconds));
        Assert.Equal((16, 64), (options.MaxConcurrentLeaseOperations, options.MaxConcurrentLeaseRenewals));
    }

    [Fact]
    public void Silo_ids_differ_between_instances()
    {
        Assert.NotEqual(new ClusterOptions().SiloId, new ClusterOptions().SiloId);
    }

    [Theory]
    [InlineData("LeaseDuration", "00:00:10", "Cluster:LeaseDuration must be between 15 and 60 seconds")]
    [InlineData("LeaseDuration", "00:01:30", "Cluster:LeaseDuration must be between 15 and 60 seconds")]
    [InlineData("LeaseRenewalPeriod", "00:00:15", "less than half of Cluster:LeaseDuration")]
    [InlineData("LeaseRenewalPeriod", "00:00:00", "Cluster:LeaseRenewalPeriod must be positive")]
    [InlineData("LeaseSafetyMargin", "00:00:20", "Cluster:LeaseSafetyMargin")]
    [InlineData("BalancingInterval", "00:00:00", "Cluster:BalancingInterval must be between 100 ms and 1 hour")]
    [InlineData("HeartbeatInterval", "00:00:15", "Cluster:SiloStaleAfter must be at least two Cluster:HeartbeatInterval")]
    [InlineData("SiloStaleAfter", "00:00:45", "at most Cluster:LeaseDuration")]
    [InlineData("SiloId", "has/slash", "Cluster:SiloId must be")]
    [InlineData("MaxConcurrentLeaseOperations", "0", "Cluster:MaxConcurrentLeaseOperations")]
    [InlineData("MaxConcurrentLeaseRenewals", "0", "Cluster:MaxConcurrentLeaseRenewals must be between 1 and 1024")]
    [InlineData("MaxConcurrentLeaseRenewals", "2000", "Cluster:MaxConcurrentLeaseRenewals must be between 1 and 1024")]
    public async Task An_invalid_setting_stops_the_host_from_starting_with_a_message_naming_it(string key, string value, string message)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            [$"Cluster:{key}"] = value,
        });
        builder.Services.AddSiloCluster(builder.Configuration);
        builder.Services.AddSingleton<ITenantCatalog>(new ListCatalog(0));
        builder.Services.AddSingleton<IGrainActivator>(new FakeActivator("x", null!, new ActivationLedger()));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var host = builder.Build();
            await host.StartAsync();
        });

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Configuration_binds_the_Cluster_section_and_registers_the_member_as_a_hosted_service()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Cluster:SiloId"] = "silo-7",
            ["Cluster:LeaseDuration"] = "00:00:20",
            ["Cluster:LeaseRenewalPeriod"] = "00:00:06",
            ["Cluster:SiloStaleAfter"] = "00:00:15",
        }).Build();
        services.AddLogging();
        services.AddSiloCluster(configuration);
        services.AddSingleton<ITenantCatalog>(new ListCatalog(0));
        services.AddSingleton<IGrainActivator>(new FakeActivator("x", null!, new ActivationLedger()));
        using var provider = services.BuildServiceProvider();

        var member = provider.GetRequiredService<ClusterMember>();

        Assert.Equal("silo-7", member.SiloId);
        Assert.Contains(provider.GetServices<IHostedService>(), service => ReferenceEquals(service, member));
        Assert.Equal(TimeSpan.FromSeconds(20), provider.GetRequiredService<IOptions<ClusterOptions>>().Value.LeaseDuration);
        Assert.True(provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromSeconds(16));
    }

    private static List<ValidationResult> Validate(ClusterOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
