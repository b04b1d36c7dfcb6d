using Defender.Simulator.Tenants;

namespace Defender.Simulator.Identity;

/// <summary>
/// The metadata MSAL may read before asking for a token: OpenID Connect discovery documents (v1 and v2) and Entra
/// ID's instance discovery. Every URL in them points at this simulator, built from the request's scheme and host, so
/// an MSAL client whose authority is <c>https://127.0.0.1:PORT/{tenant}</c> stays here.
/// </summary>
internal static class DiscoveryEndpoints
{
    private static readonly string[] TenantAliases = ["common", "organizations", "consumers"];

    public static IEndpointRouteBuilder MapDiscoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext context, string tenant, TenantRegistry registry, TimeProvider time) =>
            OpenIdConfiguration(context, tenant, registry, time, v2: true));
        endpoints.MapGet("/{tenant}/.well-known/openid-configuration", (HttpContext context, string tenant, TenantRegistry registry, TimeProvider time) =>
            OpenIdConfiguration(context, tenant, registry, time, v2: false));
        endpoints.MapGet("/{tenant}/discovery/v2.0/keys", () => Results.Json(new { keys = Array.Empty<object>() }));
        endpoints.MapGet("/{tenant}/discovery/keys", () => Results.Json(new { keys = Array.Empty<object>() }));
        endpoints.MapGet("/common/discovery/instance", InstanceDiscovery);
        return endpoints;
    }

    private static async Task OpenIdConfiguration(HttpContext context, string tenant, TenantRegistry registry, TimeProvider time, bool v2)
    {
        var known = TenantAliases.Contains(tenant, StringComparer.OrdinalIgnoreCase) || registry.TryGet(tenant, out _);
        if (!known)
        {
            await EntraErrorResult.WriteAsync(context, EntraError.TenantNotFound(tenant), time.GetUtcNow()).ConfigureAwait(false);
            return;
        }

        var baseUrl = BaseUrl(context.Request);
        var issuerTenant = Guid.TryParse(tenant, out var id) ? id.ToString() : "{tenantid}";
        var oauth = v2 ? "oauth2/v2.0" : "oauth2";
        var document = new Dictionary<string, object?>
        {
            ["token_endpoint"] = $"{baseUrl}/{tenant}/{oauth}/token",
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "private_key_jwt", "client_secret_basic" },
            ["jwks_uri"] = $"{baseUrl}/{tenant}/discovery/{(v2 ? "v2.0/" : "")}keys",
            ["response_modes_supported"] = new[] { "query", "fragment", "form_post" },
            ["subject_types_supported"] = new[] { "pairwise" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["response_types_supported"] = new[] { "code", "id_token", "code id_token", "token id_token", "token" },
            ["scopes_supported"] = new[] { "openid", "profile", "email", "offline_access" },
            // MSAL accepts a custom authority's issuer only when its scheme and host match the authority's.
            ["issuer"] = v2 ? $"{baseUrl}/{issuerTenant}/v2.0" : $"{baseUrl}/{issuerTenant}/",
            ["request_uri_parameter_supported"] = false,
            ["authorization_endpoint"] = $"{baseUrl}/{tenant}/{oauth}/authorize",
            ["device_authorization_endpoint"] = $"{baseUrl}/{tenant}/{oauth}/devicecode",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = $"{baseUrl}/{tenant}/{oauth}/logout",
            ["claims_supported"] = new[] { "sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "appid", "azp", "ver" },
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
        };
        await Results.Json(document).ExecuteAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers like <c>login.microsoftonline.com/common/discovery/instance</c>: this host is its own (only) alias, and
    /// an authorization endpoint on another host is an unknown instance (AADSTS50049), as for the real service.
    /// </summary>
    private static async Task InstanceDiscovery(HttpContext context, TimeProvider time)
    {
        var request = context.Request;
        var hostOnly = request.Host.Host;
        var tenant = "common";
        if (Uri.TryCreate(request.Query["authorization_endpoint"].ToString(), UriKind.Absolute, out var authorize))
        {
            if (!string.Equals(authorize.Host, hostOnly, StringComparison.OrdinalIgnoreCase))
            {
                var error = new EntraError(400, "invalid_instance", 50049, "Unknown or invalid instance.");
                await EntraErrorResult.WriteAsync(context, error, time.GetUtcNow()).ConfigureAwait(false);
                return;
            }

            tenant = authorize.Segments.Length > 1 ? authorize.Segments[1].TrimEnd('/') : tenant;
        }

        // Host names without the port: MSAL keys its (process-wide) metadata cache by Uri.Host and swaps
        // preferred_network in as the host while keeping the authority's own port, so a port here would corrupt the URI.
        string[] aliases = [hostOnly];
        var document = new Dictionary<string, object?>
        {
            ["tenant_discovery_endpoint"] = $"{BaseUrl(request)}/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["preferred_network"] = hostOnly,
                    ["preferred_cache"] = hostOnly,
                    ["aliases"] = aliases,
                },
            },
        };
        await Results.Json(document).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
