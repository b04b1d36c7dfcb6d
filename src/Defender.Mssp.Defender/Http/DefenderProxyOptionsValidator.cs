using Defender.Mssp.Defender.Configuration;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Http;

/// <summary>Fails at start on a proxy setting that cannot work; messages never repeat the address's user info or the password.</summary>
internal sealed class DefenderProxyOptionsValidator : IValidateOptions<DefenderHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, DefenderHttpOptions options)
    {
        var proxy = options.Proxy;
        if (proxy is null)
        {
            return ValidateOptionsResult.Fail($"{DefenderProxyOptions.SectionName} is empty.");
        }

        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(proxy.Address) && !ProxyAddress.TryParse(proxy.Address, out _, out _))
        {
            failures.Add($"{DefenderProxyOptions.SectionName}:Address is not a proxy URL (http, https, socks4, socks4a or socks5 with a host).");
        }

        if (string.IsNullOrEmpty(proxy.Username) && !string.IsNullOrEmpty(proxy.Password))
        {
            failures.Add($"{DefenderProxyOptions.SectionName}:Password is set without a Username.");
        }

        if (proxy.UseDefaultCredentials && !string.IsNullOrEmpty(proxy.Username))
        {
            failures.Add($"{DefenderProxyOptions.SectionName}: UseDefaultCredentials and Username exclude each other.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
