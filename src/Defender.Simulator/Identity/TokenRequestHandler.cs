using Defender.Simulator.Records;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Defender.Simulator.Diagnostics;
using Defender.Simulator.Faults;
using Defender.Simulator.Hosting;
using Defender.Simulator.Tenants;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Defender.Simulator.Identity;

/// <summary>
/// The client-credentials grant of Entra ID's token endpoints, with its error answers: unknown tenant (AADSTS90002),
/// app not in tenant (700016), missing/wrong/expired secret (7000216/7000215/7000222), bad scope (1002012), unknown
/// resource (500011), no admin consent (65001).
/// </summary>
internal sealed class TokenRequestHandler(
    TenantRegistry registry,
    AccessTokenIssuer issuer,
    TimeProvider time,
    IOptions<SimulatorOptions> options,
    ILogger<TokenRequestHandler> logger)
{
    private const string DefaultScopeSuffix = "/.default";

    public async Task HandleAsync(HttpContext context, string tenant, TokenEndpointVersion version)
    {
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : FormCollection.Empty;
        var (clientId, secret) = ClientCredentials(context.Request, form);

        if (!registry.TryGet(tenant, out var simulated))
        {
            registry.UnknownTenantTokenRequest();
            await RefuseAsync(context, null, tenant, clientId, EntraError.TenantNotFound(tenant)).ConfigureAwait(false);
            return;
        }

        if (simulated.TakeFault(FaultSource.Token) is { } fault)
        {
            SimulatorLog.FaultInjected(logger, fault.Kind.ToString(), fault.Status, simulated.TenantId, "token");
            var finished = await FaultInjection.ApplyAsync(context, fault, time, (ctx, rule) =>
            {
                var error = rule.Status switch
                {
                    429 => EntraError.Throttled(),
                    >= 500 => EntraError.ServerError(rule.Status),
                    _ => EntraError.Injected(rule.Status),
                };
                simulated.Stats.TokenFailed(clientId, "AADSTS" + error.Code);
                var retryAfter = rule.Status is 429 or 503 ? FaultInjection.RetryAfter(rule) : (int?)null;
                return EntraErrorResult.WriteAsync(ctx, error, time.GetUtcNow(), retryAfter);
            }).ConfigureAwait(false);
            if (finished)
            {
                return;
            }
        }

        var error = Validate(simulated, tenant, version, form, clientId, secret, out var resource);
        if (error is not null)
        {
            await RefuseAsync(context, simulated, tenant, clientId, error).ConfigureAwait(false);
            return;
        }

        await IssueAsync(context, simulated, clientId!, resource!, version).ConfigureAwait(false);
    }

    private EntraError? Validate(
        SimulatedTenant tenant, string tenantSegment, TokenEndpointVersion version, IFormCollection form, string? clientId, string? secret, out string? resource)
    {
        resource = null;
        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            return EntraError.MissingParameter("grant_type");
        }

        if (!string.Equals(grantType, "client_credentials", StringComparison.Ordinal))
        {
            return EntraError.UnsupportedGrantType(grantType);
        }

        if (string.IsNullOrEmpty(clientId))
        {
            return EntraError.MissingParameter("client_id");
        }

        var credentials = tenant.CheckSecret(clientId, secret, time.GetUtcNow());
        switch (credentials.Outcome)
        {
            case SecretCheck.AppNotFound:
                return EntraError.AppNotFound(clientId, tenantSegment);
            case SecretCheck.NoCredential:
                return EntraError.NoCredential();
            case SecretCheck.InvalidSecret:
                return EntraError.InvalidSecret(clientId);
            case SecretCheck.ExpiredSecret:
                return EntraError.ExpiredSecret(clientId);
        }

        if (version == TokenEndpointVersion.V1)
        {
            resource = form["resource"].ToString();
            if (resource.Length == 0)
            {
                return EntraError.MissingParameter("resource");
            }
        }
        else
        {
            var scope = form["scope"].ToString().Trim();
            if (scope.Length == 0)
            {
                return EntraError.MissingParameter("scope");
            }

            if (scope.Contains(' ', StringComparison.Ordinal) || !scope.EndsWith(DefaultScopeSuffix, StringComparison.OrdinalIgnoreCase))
            {
                return EntraError.InvalidScope(scope);
            }

            resource = scope[..^DefaultScopeSuffix.Length];
        }

        var known = KnownResource(resource);
        if (known is null)
        {
            return EntraError.ResourceNotFound(resource, tenantSegment);
        }

        resource = known;
        return credentials.ConsentGranted ? null : EntraError.ConsentRequired(clientId, credentials.AppDisplayName ?? clientId);
    }

    private async Task IssueAsync(HttpContext context, SimulatedTenant tenant, string clientId, string resource, TokenEndpointVersion version)
    {
        var now = time.GetUtcNow();
        var lifetime = tenant.TokenLifetime;
        var token = issuer.Issue(tenant.TenantId, clientId, resource, now, lifetime);
        tenant.Stats.TokenSucceeded(clientId);
        SimulatorLog.TokenIssued(logger, tenant.TenantId.ToString(), clientId, resource);

        var seconds = (long)lifetime.TotalSeconds;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, WireJson.Options);
        writer.WriteStartObject();
        writer.WriteString("token_type", "Bearer");
        if (version == TokenEndpointVersion.V1)
        {
            // The v1 endpoint sends its numbers as strings (seed 003's sample shows them unquoted; the service quotes them).
            writer.WriteString("expires_in", Invariant(seconds));
            writer.WriteString("ext_expires_in", Invariant(seconds));
            writer.WriteString("expires_on", Invariant((now + lifetime).ToUnixTimeSeconds()));
            writer.WriteString("not_before", Invariant(now.ToUnixTimeSeconds()));
            writer.WriteString("resource", resource);
        }
        else
        {
            writer.WriteNumber("expires_in", seconds);
            writer.WriteNumber("ext_expires_in", seconds);
        }

        writer.WriteString("access_token", token);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private Task RefuseAsync(HttpContext context, SimulatedTenant? tenant, string tenantSegment, string? clientId, EntraError error)
    {
        tenant?.Stats.TokenFailed(clientId, "AADSTS" + error.Code);
        SimulatorLog.TokenRefused(logger, tenantSegment, clientId, error.Error, error.Code);
        return EntraErrorResult.WriteAsync(context, error, time.GetUtcNow());
    }

    private string? KnownResource(string resource)
    {
        var wanted = resource.TrimEnd('/');
        return options.Value.Tokens.KnownResources.FirstOrDefault(r => string.Equals(r.TrimEnd('/'), wanted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>client_secret_post, or client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret in Basic).</summary>
    private static (string? ClientId, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
                }
            }
            catch (FormatException)
            {
                // Fall through to the form; an undecodable header authenticates nothing.
            }
        }

        return (Value(form["client_id"]), Value(form["client_secret"]));
    }

    private static string? Value(StringValues values) => values.Count == 0 ? null : values.ToString();

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
