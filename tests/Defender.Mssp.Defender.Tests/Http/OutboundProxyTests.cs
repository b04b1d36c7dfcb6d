using System.Net;
using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Http;

namespace Defender.Mssp.Defender.Tests.Http;

/// <summary>Which proxy a request takes: configuration, environment variables, and NO_PROXY-style exceptions.</summary>
public sealed class OutboundProxyTests
{
    private static readonly Uri Xdr = new("https://api.security.microsoft.com/api/incidents");

    private static ProxyEnvironment Environment(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return ProxyEnvironment.From(name => values.GetValueOrDefault(name));
    }

    [Theory]
    [InlineData("api.security.microsoft.com", "https://api.security.microsoft.com/", true)]
    [InlineData("microsoft.com", "https://api.security.microsoft.com/", true)]
    [InlineData(".microsoft.com", "https://microsoft.com/", true)]
    [InlineData("*.microsoft.com", "https://graph.microsoft.com/", true)]
    [InlineData("microsoft.com", "https://notmicrosoft.com/", false)]
    [InlineData("graph.microsoft.com:8443", "https://graph.microsoft.com:8443/", true)]
    [InlineData("graph.microsoft.com:8443", "https://graph.microsoft.com/", false)]
    [InlineData("10.0.0.0/8", "https://10.1.2.3/", true)]
    [InlineData("10.0.0.0/8", "https://11.1.2.3/", false)]
    [InlineData("127.0.0.1", "https://127.0.0.1:5443/", true)]
    [InlineData("127.0.0.1:5443", "https://127.0.0.1:5444/", false)]
    [InlineData("::1", "https://[::1]:5443/", true)]
    [InlineData("[::1]:5443", "https://[::1]:5443/", true)]
    [InlineData("<local>", "https://127.0.0.1/", true)]
    [InlineData("<local>", "https://intranet/", true)]
    [InlineData("<local>", "https://graph.microsoft.com/", false)]
    [InlineData("*", "https://anything.example/", true)]
    [InlineData("localhost, .corp.example ; 10.0.0.0/8", "https://build.corp.example/", true)]
    public void Bypass_entries_read_as_no_proxy_does(string entries, string destination, bool bypassed)
    {
        Assert.Equal(bypassed, ProxyBypassList.Parse([entries]).Matches(new Uri(destination)));
    }

    [Fact]
    public void Loopback_goes_through_the_proxy_unless_listed()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions { Address = "http://proxy:3128" }, ProxyEnvironment.None).Proxy!;

        Assert.False(proxy.IsBypassed(new Uri("https://127.0.0.1:5443/")));
        Assert.Equal(new Uri("http://proxy:3128/"), proxy.GetProxy(new Uri("https://localhost:5443/")));
    }

    [Fact]
    public void Bypass_on_local_skips_the_proxy_for_loopback_and_dotless_names()
    {
        var proxy = OutboundProxy.Resolve(
            new DefenderProxyOptions { Address = "http://proxy:3128", BypassOnLocal = true }, ProxyEnvironment.None).Proxy!;

        Assert.True(proxy.IsBypassed(new Uri("https://127.0.0.1:5443/")));
        Assert.True(proxy.IsBypassed(new Uri("https://localhost/")));
        Assert.False(proxy.IsBypassed(Xdr));
    }

    [Fact]
    public void Configuration_wins_over_the_environment()
    {
        var resolved = OutboundProxy.Resolve(
            new DefenderProxyOptions { Address = "proxy.corp.example:3128" }, Environment(("HTTPS_PROXY", "http://other:8080")));

        Assert.Equal(OutboundProxy.FromConfiguration, resolved.Origin);
        Assert.Equal(new Uri("http://proxy.corp.example:3128/"), resolved.Proxy!.GetProxy(Xdr));
        Assert.Equal(new Uri("http://proxy.corp.example:3128/"), resolved.Proxy.GetProxy(new Uri("http://plain.example/")));
    }

    [Fact]
    public void Https_proxy_serves_https_destinations_and_http_proxy_http_ones()
    {
        var resolved = OutboundProxy.Resolve(new DefenderProxyOptions(),
            Environment(("https_proxy", "http://secure-proxy:3128"), ("HTTP_PROXY", "http://plain-proxy:8080"), ("NO_PROXY", "internal.example")));

        Assert.Equal(OutboundProxy.FromEnvironment, resolved.Origin);
        Assert.Equal(new Uri("http://secure-proxy:3128/"), resolved.Proxy!.GetProxy(Xdr));
        Assert.Equal(new Uri("http://plain-proxy:8080/"), resolved.Proxy.GetProxy(new Uri("http://plain.example/")));
        Assert.True(resolved.Proxy.IsBypassed(new Uri("https://api.internal.example/")));
    }

    [Fact]
    public void Only_an_http_proxy_leaves_https_destinations_direct_as_curl_does()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions(), Environment(("HTTP_PROXY", "http://plain-proxy:8080"))).Proxy!;

        Assert.True(proxy.IsBypassed(Xdr));
        Assert.Null(proxy.GetProxy(Xdr));
    }

    [Fact]
    public void All_proxy_covers_both_schemes_and_lower_case_wins()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions(),
            Environment(("ALL_PROXY", "http://upper:1"), ("all_proxy", "http://lower:2"))).Proxy!;

        Assert.Equal(new Uri("http://lower:2/"), proxy.GetProxy(Xdr));
        Assert.Equal(new Uri("http://lower:2/"), proxy.GetProxy(new Uri("http://plain.example/")));
    }

    [Fact]
    public void The_configured_bypass_list_adds_to_no_proxy()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions { BypassList = ["graph.microsoft.com"] },
            Environment(("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "login.microsoftonline.com"))).Proxy!;

        Assert.True(proxy.IsBypassed(new Uri("https://login.microsoftonline.com/t/oauth2/v2.0/token")));
        Assert.True(proxy.IsBypassed(new Uri("https://graph.microsoft.com/v1.0/security/alerts_v2")));
        Assert.False(proxy.IsBypassed(Xdr));
    }

    [Fact]
    public void User_info_in_a_proxy_url_becomes_credentials_and_leaves_the_address()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions(),
            Environment(("HTTPS_PROXY", "http://svc%40corp:p%3Ass@proxy:3128"))).Proxy!;

        var credential = proxy.Credentials!.GetCredential(new Uri("http://proxy:3128/"), "Basic")!;
        Assert.Equal("svc@corp", credential.UserName);
        Assert.Equal("p:ss", credential.Password);
        Assert.Equal(new Uri("http://proxy:3128/"), proxy.GetProxy(Xdr));
        Assert.DoesNotContain("p:ss", proxy.ToString());
        Assert.DoesNotContain("svc", proxy.ToString());
    }

    [Fact]
    public void Configured_credentials_win_over_user_info()
    {
        var proxy = OutboundProxy.Resolve(new DefenderProxyOptions { Username = "configured", Password = "pw" },
            Environment(("HTTPS_PROXY", "http://url-user:url-pw@proxy:3128"))).Proxy!;

        Assert.Equal("configured", proxy.Credentials!.GetCredential(new Uri("http://proxy:3128/"), "Basic")!.UserName);
    }

    [Fact]
    public void Without_configuration_or_variables_the_platform_default_applies_and_opting_out_goes_direct()
    {
        Assert.Same(OutboundProxy.PlatformDefault, OutboundProxy.Resolve(new DefenderProxyOptions(), ProxyEnvironment.None));
        Assert.Same(OutboundProxy.None, OutboundProxy.Resolve(
            new DefenderProxyOptions { UseEnvironment = false }, Environment(("HTTPS_PROXY", "http://proxy:3128"))));
    }

    [Theory]
    [InlineData("HTTPS_PROXY", "ftp://proxy:21")]
    [InlineData("HTTP_PROXY", "http://")]
    [InlineData("ALL_PROXY", "::not a url::")]
    public void A_proxy_variable_that_is_not_a_proxy_url_is_an_error_not_a_direct_connection(string variable, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => OutboundProxy.Resolve(new DefenderProxyOptions(), Environment((variable, value))));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_handler_uses_the_resolved_proxy()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DefenderHttpOptions
        {
            Proxy = new DefenderProxyOptions { UseEnvironment = false },
        });
        using var direct = new DefenderHttpHandlerFactory(options, Environment(("HTTPS_PROXY", "http://proxy:3128"))).CreateHandler();
        using var viaEnvironment = new DefenderHttpHandlerFactory(
            Microsoft.Extensions.Options.Options.Create(new DefenderHttpOptions()), Environment(("HTTPS_PROXY", "http://proxy:3128"))).CreateHandler();

        Assert.False(direct.UseProxy);
        Assert.True(viaEnvironment.UseProxy);
        Assert.Equal(new Uri("http://proxy:3128/"), viaEnvironment.Proxy!.GetProxy(Xdr));
    }
}
