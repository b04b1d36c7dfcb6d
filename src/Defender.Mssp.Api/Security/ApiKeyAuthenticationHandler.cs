using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Defender.Mssp.Api.Security;

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/>; the keys themselves come from <see cref="ApiKeyRegistry"/>.</summary>
public sealed class ApiKeyAuthenticationSchemeOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates a request by the API key in <c>X-Api-Key</c> or <c>Authorization: ApiKey {key}</c>. The caller
/// becomes the key's name with the key's role. A request with no key is left to other schemes (and then challenged);
/// one with a wrong key fails. The key never reaches a log line: failures name only the header it came in.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry)
    : AuthenticationHandler<ApiKeyAuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>Authorization</c> scheme that carries an API key.</summary>
    public const string AuthorizationScheme = "ApiKey";

    /// <summary>The claim saying how the caller authenticated.</summary>
    public const string MethodClaimType = "amr";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryGetPresentedKey(Request.Headers, out var presented, out var failure))
        {
            return Task.FromResult(failure is null ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(failure));
        }

        if (registry.Find(presented) is not { } entry)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, entry.Name),
                new Claim(ApiClaimTypes.Role, entry.Role),
                new Claim(MethodClaimType, "apikey"),
            ],
            Scheme.Name,
            ClaimTypes.Name,
            ApiClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.Append(HeaderNames.WWWAuthenticate, $"{AuthorizationScheme} header=\"{HeaderName}\"");
        return Task.CompletedTask;
    }

    /// <summary>Whether the request carries exactly one API key; <paramref name="failure"/> says why not, when it tried.</summary>
    internal static bool TryGetPresentedKey(IHeaderDictionary headers, out string key, out string? failure)
    {
        key = "";
        failure = null;
        var fromHeader = headers[HeaderName];
        string? fromAuthorization = null;
        foreach (var value in headers.Authorization)
        {
            if (value is not null && value.StartsWith(AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase))
            {
                if (fromAuthorization is not null)
                {
                    failure = "More than one API key was presented.";
                    return false;
                }

                fromAuthorization = value[(AuthorizationScheme.Length + 1)..].Trim();
            }
        }

        if (fromHeader.Count > 1 || (fromHeader.Count == 1 && fromAuthorization is not null))
        {
            failure = "More than one API key was presented.";
            return false;
        }

        var candidate = fromHeader.Count == 1 ? fromHeader[0] : fromAuthorization;
        if (candidate is null)
        {
            return false;
        }

        if (candidate.Length is 0 or > 512)
        {
            failure = "The API key is not valid.";
            return false;
        }

        key = candidate;
        return true;
    }

    internal static bool HasApiKey(IHeaderDictionary headers) =>
        headers.ContainsKey(HeaderName)
        || headers.Authorization.Any(value => value?.StartsWith(AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase) == true);
}
