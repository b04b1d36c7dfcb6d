namespace Defender.Mssp.Defender.Http;

/// <summary>
/// The proxy environment variables as curl and .NET read them: <c>https_proxy</c> for https destinations,
/// <c>http_proxy</c> for http, <c>all_proxy</c> for either when the specific one is absent, <c>no_proxy</c> for the
/// exceptions; the lower-case spelling wins over the upper-case one.
/// </summary>
internal sealed record ProxyEnvironment(string? HttpsProxy, string? HttpProxy, string? AllProxy, string? NoProxy)
{
    public static ProxyEnvironment None { get; } = new(null, null, null, null);

    public bool IsEmpty => HttpsProxy is null && HttpProxy is null && AllProxy is null;

    public static ProxyEnvironment FromProcess() => From(Environment.GetEnvironmentVariable);

    public static ProxyEnvironment From(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return new ProxyEnvironment(
            Read(variable, "https_proxy"), Read(variable, "http_proxy"), Read(variable, "all_proxy"), Read(variable, "no_proxy"));
    }

    private static string? Read(Func<string, string?> variable, string name) =>
        variable(name) is { Length: > 0 } lower && !string.IsNullOrWhiteSpace(lower) ? lower.Trim()
        : variable(name.ToUpperInvariant()) is { } upper && !string.IsNullOrWhiteSpace(upper) ? upper.Trim()
        : null;
}
