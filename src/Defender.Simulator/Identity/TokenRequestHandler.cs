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
/// The client-credentials grant of Entra ID's token endpoints, with its error answers: unknown tenant, or a tenant of
/// another cloud than this login host's (AADSTS90002), app not in tenant (700016), missing/wrong/expired secret
/// (7000216/7000215/7000222), a client assertion that fails its checks (700027, 700021, 700023, 700024, 50027; see
/// <see cref="ClientAssertionValidator"/>), bad scope (1002012), unknown resource or one of another cloud (500011),
/// no admin consent (65001).
/// </summary>
internal sealed class TokenRequestHandler(
    TenantRegistry registry,
    AccessTokenIssuer issuer,
    CloudDirectory clouds,
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
        var request = TokenRequest.Read(context.Request, form, tenant, version);

        if (!registry.TryGet(tenant, out var simulated))
        {
            registry.UnknownTenantTokenRequest();
            await RefuseAsync(context, null, request, EntraError.TenantNotFound(tenant)).ConfigureAwait(false);
            return;
        }

        // A tenant lives in one cloud; that cloud's login hosts know it, the others' do not.
        if (!clouds.SignsIn(context.Request.Host.Host, simulated.Cloud))
        {
            await RefuseAsync(context, simulated, request, EntraError.TenantNotFound(tenant)).ConfigureAwait(false);
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
                simulated.Stats.TokenFailed(request.ClientId, "AADSTS" + error.Code);
                Log(ctx, simulated, request, error.StatusCode, error);
                var retryAfter = rule.Status is 429 or 503 ? FaultInjection.RetryAfter(rule) : (int?)null;
                return EntraErrorResult.WriteAsync(ctx, error, time.GetUtcNow(), retryAfter);
            }).ConfigureAwait(false);
            if (finished)
            {
                return;
            }
        }

        var error = Validate(context.Request, simulated, request);
        if (error is not null)
        {
            await RefuseAsync(context, simulated, request, error).ConfigureAwait(false);
            return;
        }

        await IssueAsync(context, simulated, request).ConfigureAwait(false);
    }

    private EntraError? Validate(HttpRequest http, SimulatedTenant tenant, TokenRequest request)
    {
        if (request.GrantType.Length == 0)
        {
            return EntraError.MissingParameter("grant_type");
        }

        if (!string.Equals(request.GrantType, "client_credentials", StringComparison.Ordinal))
        {
            return EntraError.UnsupportedGrantType(request.GrantType);
        }

        if (string.IsNullOrEmpty(request.ClientId))
        {
            return EntraError.MissingParameter("client_id");
        }

        var credentials = request.UsesAssertion
            ? CheckAssertion(http, tenant, request, out var assertionError)
            : CheckSecret(tenant, request, out assertionError);
        if (assertionError is not null)
        {
            return assertionError;
        }

        var resourceError = ResolveResource(request);
        if (resourceError is not null)
        {
            return resourceError;
        }

        var known = KnownResource(request.Resource!);
        if (known is null || !clouds.Issues(http.Host.Host, known))
        {
            // The real login host of one cloud has no service principal for another cloud's APIs.
            return EntraError.ResourceNotFound(request.Resource!, request.TenantSegment);
        }

        request.Resource = known;
        return credentials.ConsentGranted ? null : EntraError.ConsentRequired(request.ClientId, credentials.AppDisplayName ?? request.ClientId);
    }

    private CredentialResult CheckSecret(SimulatedTenant tenant, TokenRequest request, out EntraError? error)
    {
        var credentials = tenant.CheckSecret(request.ClientId!, request.Secret, time.GetUtcNow());
        error = credentials.Outcome switch
        {
            SecretCheck.AppNotFound => EntraError.AppNotFound(request.ClientId!, request.TenantSegment),
            SecretCheck.NoCredential => EntraError.NoCredential(),
            SecretCheck.InvalidSecret => EntraError.InvalidSecret(request.ClientId!),
            SecretCheck.ExpiredSecret => EntraError.ExpiredSecret(request.ClientId!),
            _ => null,
        };
        return credentials;
    }

    private CredentialResult CheckAssertion(HttpRequest http, SimulatedTenant tenant, TokenRequest request, out EntraError? error)
    {
        var none = new CredentialResult(SecretCheck.NoCredential, null, false);
        error = request switch
        {
            { Secret: not null } => EntraError.MoreThanOneCredential(),
            { AssertionType: null or "" } => EntraError.MissingParameter("client_assertion_type"),
            { AssertionType: not ClientAssertion.JwtBearerType } => EntraError.UnsupportedAssertionType(),
            { Assertion: null or "" } => EntraError.MissingParameter("client_assertion"),
            _ => null,
        };
        if (error is not null)
        {
            return none;
        }

        var credentials = tenant.FindCertificates(request.ClientId!, out var certificates);
        if (credentials.Outcome == SecretCheck.AppNotFound)
        {
            error = EntraError.AppNotFound(request.ClientId!, request.TenantSegment);
            return credentials;
        }

        var assertion = ClientAssertion.TryParse(request.Assertion!, out var problem);
        error = assertion is null
            ? EntraError.MalformedAssertion(problem!)
            : ClientAssertionValidator.Validate(
                assertion, request.ClientId!, certificates, TokenEndpointAudiences(http, request.TenantSegment), time.GetUtcNow(),
                options.Value.Tokens.ClockSkew);
        return credentials;
    }

    /// <summary>
    /// The audiences a client assertion may name: this tenant's token endpoints (v2 and v1) on the host the request came
    /// to, as Entra ID accepts either for either.
    /// </summary>
    private static string[] TokenEndpointAudiences(HttpRequest http, string tenantSegment)
    {
        var tenantBase = $"{http.Scheme}://{http.Host}/{tenantSegment}";
        return [tenantBase + "/oauth2/v2.0/token", tenantBase + "/oauth2/token"];
    }

    private static EntraError? ResolveResource(TokenRequest request)
    {
        if (request.Version == TokenEndpointVersion.V1)
        {
            request.Resource = request.ResourceParameter;
            return request.Resource.Length == 0 ? EntraError.MissingParameter("resource") : null;
        }

        var scope = request.Scope.Trim();
        if (scope.Length == 0)
        {
            return EntraError.MissingParameter("scope");
        }

        if (scope.Contains(' ', StringComparison.Ordinal) || !scope.EndsWith(DefaultScopeSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError.InvalidScope(scope);
        }

        request.Resource = scope[..^DefaultScopeSuffix.Length];
        return null;
    }

    private async Task IssueAsync(HttpContext context, SimulatedTenant tenant, TokenRequest request)
    {
        var now = time.GetUtcNow();
        var lifetime = tenant.TokenLifetime;
        var clientId = request.ClientId!;
        var resource = request.Resource!;
        var token = issuer.Issue(tenant.TenantId, clientId, resource, now, lifetime);
        tenant.Stats.TokenSucceeded(clientId);
        Log(context, tenant, request, StatusCodes.Status200OK, null);
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
        if (request.Version == TokenEndpointVersion.V1)
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

    private Task RefuseAsync(HttpContext context, SimulatedTenant? tenant, TokenRequest request, EntraError error)
    {
        tenant?.Stats.TokenFailed(request.ClientId, "AADSTS" + error.Code);
        if (tenant is not null)
        {
            Log(context, tenant, request, error.StatusCode, error);
        }

        SimulatorLog.TokenRefused(logger, request.TenantSegment, request.ClientId, error.Error, error.Code);
        return EntraErrorResult.WriteAsync(context, error, time.GetUtcNow());
    }

    private void Log(HttpContext context, SimulatedTenant tenant, TokenRequest request, int status, EntraError? error) =>
        tenant.TokenRequests.Add(new TokenRequestLogEntry(
            time.GetUtcNow(),
            context.Request.Host.Value,
            request.Version == TokenEndpointVersion.V1 ? "v1" : "v2",
            request.ClientId,
            request.UsesAssertion ? "certificate" : request.Secret is null ? null : "secret",
            request.Resource,
            status,
            error is null ? null : "AADSTS" + error.Code.ToString(CultureInfo.InvariantCulture)));

    private string? KnownResource(string resource)
    {
        var wanted = resource.TrimEnd('/');
        return options.Value.Tokens.KnownResources.FirstOrDefault(r => string.Equals(r.TrimEnd('/'), wanted, StringComparison.OrdinalIgnoreCase));
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The parameters of one token request, whichever way the client sent its credentials.</summary>
    private sealed class TokenRequest
    {
        public required string TenantSegment { get; init; }

        public required TokenEndpointVersion Version { get; init; }

        public required string GrantType { get; init; }

        public string? ClientId { get; init; }

        public string? Secret { get; init; }

        public string? AssertionType { get; init; }

        public string? Assertion { get; init; }

        public required string ResourceParameter { get; init; }

        public required string Scope { get; init; }

        /// <summary>The resource asked for, once the request got that far (canonical spelling once known).</summary>
        public string? Resource { get; set; }

        public bool UsesAssertion => AssertionType is not null || Assertion is not null;

        public static TokenRequest Read(HttpRequest request, IFormCollection form, string tenant, TokenEndpointVersion version)
        {
            var (clientId, secret) = ClientCredentials(request, form);
            return new TokenRequest
            {
                TenantSegment = tenant,
                Version = version,
                GrantType = form["grant_type"].ToString(),
                ClientId = clientId,
                Secret = secret,
                AssertionType = Value(form["client_assertion_type"]),
                Assertion = Value(form["client_assertion"]),
                ResourceParameter = form["resource"].ToString(),
                Scope = form["scope"].ToString(),
            };
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
    }
}
