using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Defender.Mssp.Api.Security;

/// <summary>Registers the management API's authentication (API keys, optional JWT bearer) and its two policies.</summary>
public static class SecurityServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddManagementApiSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ManagementAuthenticationOptions>()
            .BindConfiguration(ManagementAuthenticationOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ApiKeyRegistry>();

        // Whether to offer JWT at all is decided once, at registration, like any scheme.
        var jwt = builder.Configuration.GetSection(ManagementAuthenticationOptions.SectionName).Get<ManagementAuthenticationOptions>()?.Jwt
            ?? new JwtBearerSettings();
        var authentication = services.AddAuthentication(ApiAuthenticationSchemes.ApiKeyOrBearer)
            .AddScheme<ApiKeyAuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiAuthenticationSchemes.ApiKey, null)
            .AddPolicyScheme(ApiAuthenticationSchemes.ApiKeyOrBearer, null, options =>
                options.ForwardDefaultSelector = context =>
                    jwt.Enabled && !ApiKeyAuthenticationHandler.HasApiKey(context.Request.Headers) && IsBearer(context.Request.Headers)
                        ? JwtBearerDefaults.AuthenticationScheme
                        : ApiAuthenticationSchemes.ApiKey);
        if (jwt.Enabled)
        {
            authentication.AddJwtBearer(options => ConfigureJwtBearer(options, jwt));
        }

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, policy => policy.RequireAuthenticatedUser().RequireClaim(ApiClaimTypes.Role, ApiRoles.Reader, ApiRoles.Admin))
            .AddPolicy(ApiPolicies.Manage, policy => policy.RequireAuthenticatedUser().RequireClaim(ApiClaimTypes.Role, ApiRoles.Admin));
        return builder;
    }

    private static void ConfigureJwtBearer(JwtBearerOptions options, JwtBearerSettings jwt)
    {
        options.Authority = jwt.Authority;
        options.Audience = jwt.Audience;
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = jwt.NameClaimType;
        options.TokenValidationParameters.RoleClaimType = ApiClaimTypes.Role;
        options.Events = new JwtBearerEvents
        {
            // Entra ID puts app roles in "roles"; only the two configured ones become management roles.
            OnTokenValidated = context =>
            {
                if (context.Principal?.Identity is ClaimsIdentity identity)
                {
                    // A token that names our own role claim itself gets nothing from it.
                    foreach (var forged in identity.FindAll(ApiClaimTypes.Role).ToList())
                    {
                        identity.RemoveClaim(forged);
                    }

                    var roles = identity.FindAll("roles").Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
                    if (roles.Contains(jwt.AdminRole))
                    {
                        identity.AddClaim(new Claim(ApiClaimTypes.Role, ApiRoles.Admin));
                    }

                    if (roles.Contains(jwt.ReaderRole))
                    {
                        identity.AddClaim(new Claim(ApiClaimTypes.Role, ApiRoles.Reader));
                    }
                }

                return Task.CompletedTask;
            },
        };
    }

    private static bool IsBearer(IHeaderDictionary headers) =>
        headers.Authorization.Any(value => value?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true);
}
