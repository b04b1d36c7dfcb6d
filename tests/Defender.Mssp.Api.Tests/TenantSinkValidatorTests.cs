using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Validation;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Configuration;

namespace Defender.Mssp.Api.Tests;

/// <summary>What a valid <c>sinks</c> member becomes, and the edges of the rules, without a host.</summary>
public sealed class TenantSinkValidatorTests
{
    private static readonly GlobalSinkNames Names = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Sinks:Definitions:splunk-eu:Type"] = "Http",
    }).Build());

    private static (TenantSinks? Sinks, FieldErrors Errors, bool Valid) Validate(string? mode, params TenantSinkInput?[] sinks)
    {
        var errors = new FieldErrors();
        var result = TenantSinkValidator.Validate(new TenantSinksInput { Mode = mode, Sinks = [.. sinks] }, "sinks", Names, errors, out var valid);
        return (result, errors, valid);
    }

    [Fact]
    public void Inline_sinks_become_tenant_sinks_with_their_secrets_and_defaults()
    {
        var (sinks, errors, valid) = Validate("Replace",
            new TenantSinkInput { Name = "SPLUNK-EU" },
            new TenantSinkInput { Name = "hec", Type = "splunkHec", Url = "https://hec.example.com", Token = "tok", Headers = new() { ["X-Key"] = "v" } },
            new TenantSinkInput { Name = "sys", Type = "syslog", Host = "10.1.2.3" },
            new TenantSinkInput { Name = "files", Type = "CSV", Folder = "soc/contoso.v2" });

        Assert.True(valid, string.Join(", ", errors.Fields));
        Assert.Equal(TenantSinkMode.Replace, sinks!.Mode);
        Assert.Equal([TenantSinkKind.Named, TenantSinkKind.SplunkHec, TenantSinkKind.Syslog, TenantSinkKind.Csv], sinks.Sinks.Select(sink => sink.Kind));
        Assert.Equal("tok", sinks.Sinks[1].Token!.Reveal());
        Assert.Equal("v", sinks.Sinks[1].Headers["x-key"].Reveal());
        Assert.Equal((null, false), (sinks.Sinks[2].Port, sinks.Sinks[2].Tls));
    }

    [Theory]
    [InlineData("http://localhost:8080/in")]
    [InlineData("http://127.0.0.1:8080/in")]
    [InlineData("http://[::1]:8080/in")]
    [InlineData("https://siem.example.com/in")]
    public void Http_is_allowed_to_loopback_only(string url) =>
        Assert.True(Validate(null, new TenantSinkInput { Name = "h", Type = "http", Url = url }).Valid);

    [Theory]
    [InlineData("http://10.0.0.1/in")]
    [InlineData("http://siem.example.com/in")]
    [InlineData("https://u:p@siem.example.com/in")]
    [InlineData("siem.example.com/in")]
    public void Other_urls_are_refused_under_the_url_field(string url)
    {
        var (_, errors, valid) = Validate(null, new TenantSinkInput { Name = "h", Type = "http", Url = url });

        Assert.False(valid);
        Assert.Equal(["sinks.sinks[0].url"], errors.Fields);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a/../b")]
    [InlineData("./a")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("C:/x")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    public void Folders_must_be_relative_without_dot_segments(string folder) =>
        Assert.False(Validate(null, new TenantSinkInput { Name = "f", Type = "jsonLines", Folder = folder }).Valid);

    [Fact]
    public void Add_with_no_sinks_means_the_defaults()
    {
        var (sinks, _, valid) = Validate("add");

        Assert.True(valid);
        Assert.Null(sinks);
    }

    [Fact]
    public void Every_violation_is_reported_at_once_by_field()
    {
        var (_, errors, valid) = Validate("replace",
            new TenantSinkInput { Name = "nowhere" },
            new TenantSinkInput { Name = "s", Type = "syslog", Host = "bad host!", Port = 0 },
            null);

        Assert.False(valid);
        Assert.Equal(["sinks.sinks[0].name", "sinks.sinks[1].host", "sinks.sinks[1].port", "sinks.sinks[2]"], errors.Fields.Order(StringComparer.Ordinal));
    }
}
