using Defender.Mssp.TestKit;
using Microsoft.Extensions.Configuration;

namespace Defender.AppHost.Tests;

public sealed class AppHostOptionsTests
{
    private static AppHostOptions Create(out IReadOnlyList<string> errors, params (string Key, string Value)[] settings) =>
        AppHostOptions.Create(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
            out errors);

    [Fact]
    public void Defaults_are_three_demo_tenants_two_silos_and_state_under_dot_data()
    {
        var options = Create(out var errors);

        Assert.Empty(errors);
        Assert.Equal(3, options.Tenants);
        Assert.Equal(2, options.Replicas);
        Assert.False(options.NoSimulator);
        Assert.Null(options.StorageConnectionString);
        Assert.Null(options.ApiPort);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data"), options.DataPath);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", "sink"), options.SinkPath);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", "storage"), options.StorageFolder);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", "tenant-sinks"), options.TenantSinkFolder);
    }

    [Fact]
    public void Without_the_simulator_state_is_kept_apart_from_the_demos()
    {
        var options = Create(out var errors, ("AppHost:NoSimulator", "true"));

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(RepositoryPaths.Root, ".data", "live"), options.DataPath);
    }

    [Fact]
    public void Demo_tenants_cannot_be_asked_for_without_the_simulator()
    {
        Create(out var errors, ("AppHost:NoSimulator", "true"), ("AppHost:Tenants", "2"));

        Assert.Contains(errors, error => error.StartsWith("--tenants", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ConnectionStrings:storage")]
    [InlineData("Storage:ConnectionString")]
    public void A_storage_connection_string_is_taken_from_either_key(string key)
    {
        var options = Create(out var errors, (key, "UseDevelopmentStorage=true"));

        Assert.Empty(errors);
        Assert.Equal("UseDevelopmentStorage=true", options.StorageConnectionString);
    }

    [Fact]
    public void Storage_by_uri_is_refused_with_what_to_do_instead()
    {
        Create(out var errors, ("Storage:BlobServiceUri", "https://account.blob.core.windows.net"));

        Assert.Contains(errors, error => error.Contains("--storage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AppHost:Replicas", "0")]
    [InlineData("AppHost:Replicas", "two")]
    [InlineData("AppHost:Tenants", "501")]
    [InlineData("AppHost:ApiPort", "70000")]
    [InlineData("AppHost:NoSimulator", "yes")]
    public void Values_out_of_range_are_reported_by_option(string key, string value)
    {
        Create(out var errors, (key, value));

        Assert.Single(errors);
        Assert.Contains(value, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Data_and_sink_folders_can_be_moved()
    {
        var options = Create(out _, ("AppHost:DataPath", "/tmp/apphost-data"), ("AppHost:SinkPath", "/tmp/apphost-sink"));

        Assert.Equal("/tmp/apphost-data", options.DataPath);
        Assert.Equal("/tmp/apphost-data/storage", options.StorageFolder);
        Assert.Equal("/tmp/apphost-data/tenant-sinks", options.TenantSinkFolder);
        Assert.Equal("/tmp/apphost-sink", options.SinkPath);
    }
}
