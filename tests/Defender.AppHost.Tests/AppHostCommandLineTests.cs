namespace Defender.AppHost.Tests;

public sealed class AppHostCommandLineTests
{
    [Fact]
    public void Options_become_configuration_entries_with_or_without_an_equals_sign()
    {
        var commandLine = AppHostCommandLine.Parse(["--tenants", "5", "--replicas=3", "--no-simulator", "--storage", "UseDevelopmentStorage=true",
            "--data", "/tmp/d", "--sink=/tmp/s", "--api-port", "5080"]);

        Assert.Empty(commandLine.Errors);
        Assert.Equal("5", commandLine.Settings["AppHost:Tenants"]);
        Assert.Equal("3", commandLine.Settings["AppHost:Replicas"]);
        Assert.Equal("true", commandLine.Settings["AppHost:NoSimulator"]);
        Assert.Equal("UseDevelopmentStorage=true", commandLine.Settings["ConnectionStrings:storage"]);
        Assert.Equal("/tmp/d", commandLine.Settings["AppHost:DataPath"]);
        Assert.Equal("/tmp/s", commandLine.Settings["AppHost:SinkPath"]);
        Assert.Equal("5080", commandLine.Settings["AppHost:ApiPort"]);
        Assert.Empty(commandLine.PassThrough);
    }

    [Fact]
    public void Configuration_keys_and_otel_settings_are_passed_through_to_every_process()
    {
        var commandLine = AppHostCommandLine.Parse(["--Cluster:BalancingInterval=00:00:02", "--OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317"]);

        Assert.Empty(commandLine.Errors);
        Assert.Equal("00:00:02", commandLine.PassThrough["Cluster:BalancingInterval"]);
        Assert.Equal("http://localhost:4317", commandLine.PassThrough["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http://localhost:4317", commandLine.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [Theory]
    [InlineData("--tenant")]
    [InlineData("tenants")]
    [InlineData("--verbose")]
    public void An_unknown_option_is_an_error_not_ignored(string argument)
    {
        var commandLine = AppHostCommandLine.Parse([argument, "2"]);

        Assert.Contains(commandLine.Errors, error => error.Contains("Unknown option", StringComparison.Ordinal));
    }

    [Fact]
    public void An_option_without_its_value_is_an_error()
    {
        var commandLine = AppHostCommandLine.Parse(["--tenants", "--no-simulator"]);

        Assert.Equal(["--tenants needs a value."], commandLine.Errors);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(AppHostCommandLine.Parse(["--help"]).ShowHelp);
        Assert.Contains("--no-simulator", AppHostCommandLine.Usage, StringComparison.Ordinal);
    }
}
