namespace Defender.Simulator.Identity;

/// <summary>
/// A token endpoint error as Entra ID reports it: OAuth error, AADSTS code and message, HTTP status. Messages follow
/// the real service's wording so callers can be tested against what they will see in production.
/// </summary>
internal sealed record EntraError(int StatusCode, string Error, int Code, string Message, string? SubError = null)
{
    public static EntraError TenantNotFound(string tenant) => new(400, "invalid_request", 90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. " +
        "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    public static EntraError MissingParameter(string name) => new(400, "invalid_request", 900144,
        $"The request body must contain the following parameter: '{name}'.");

    public static EntraError UnsupportedGrantType(string grantType) => new(400, "unsupported_grant_type", 70003,
        $"The app requested an unsupported grant type '{grantType}'.");

    public static EntraError AppNotFound(string clientId, string tenant) => new(400, "unauthorized_client", 700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application " +
        "has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You may have sent your authentication request to the wrong tenant.");

    public static EntraError NoCredential() => new(401, "invalid_client", 7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");

    public static EntraError InvalidSecret(string clientId) => new(401, "invalid_client", 7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client " +
        $"secret ID, for a secret added to app '{clientId}'.");

    public static EntraError ExpiredSecret(string clientId) => new(401, "invalid_client", 7000222,
        $"The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: " +
        "https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.");

    public static EntraError InvalidScope(string scope) => new(400, "invalid_scope", 1002012,
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default " +
        "suffixed to the resource identifier (application ID URI).");

    public static EntraError ResourceNotFound(string resource, string tenant) => new(400, "invalid_resource", 500011,
        $"The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application " +
        "has not been installed by the administrator of the tenant or consented to by any user in the tenant. " +
        "You might have sent your authentication request to the wrong tenant.");

    public static EntraError ConsentRequired(string clientId, string appName) => new(400, "invalid_grant", 65001,
        $"The user or administrator has not consented to use the application with ID '{clientId}' named '{appName}'. " +
        "Send an interactive authorization request for this user and resource.", "consent_required");

    /// <summary>No certificate of the app has the thumbprint the assertion names (or it names none).</summary>
    public static EntraError AssertionKeyNotFound(string clientId, string thumbprint) => new(401, "invalid_client", 700027,
        $"Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}', " +
        $"Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]");

    /// <summary>The named certificate's key credential has expired (or has not started).</summary>
    public static EntraError AssertionKeyExpired(string thumbprint, DateTimeOffset start, DateTimeOffset end, bool notYetValid = false) =>
        new(401, "invalid_client", 700027,
            $"Client assertion contains an invalid signature. [Reason - The key used is {(notYetValid ? "not yet valid" : "expired")}., " +
            $"Thumbprint of key used by client: '{thumbprint}', Found key 'Start={KeyTime(start)}, End={KeyTime(end)}']");

    /// <summary>The assertion is not signed by the named certificate's private key.</summary>
    public static EntraError AssertionBadSignature(string thumbprint, DateTimeOffset start, DateTimeOffset end) => new(401, "invalid_client", 700027,
        "Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., " +
        $"Thumbprint of key used by client: '{thumbprint}', Found key 'Start={KeyTime(start)}, End={KeyTime(end)}']");

    public static EntraError AssertionWrongClient() => new(401, "invalid_client", 700021,
        "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at " +
        "https://learn.microsoft.com/entra/identity-platform/certificate-credentials.");

    public static EntraError AssertionWrongAudience() => new(401, "invalid_client", 700023,
        "Client assertion audience claim does not match Realm issuer. Review the documentation at " +
        "https://learn.microsoft.com/entra/identity-platform/certificate-credentials.");

    public static EntraError AssertionOutsideValidTime(DateTimeOffset now, DateTimeOffset? notBefore, DateTimeOffset? expiresAt) =>
        new(401, "invalid_client", 700024,
            $"Client assertion is not within its valid time range. Current time: {now.UtcDateTime:O}, " +
            $"assertion valid from {notBefore?.UtcDateTime.ToString("O") ?? "(none)"}, expiry time of assertion {expiresAt?.UtcDateTime.ToString("O") ?? "(none)"}.");

    /// <summary>The assertion is not a JWT, or lacks a claim Entra ID requires.</summary>
    public static EntraError MalformedAssertion(string reason) => new(400, "invalid_request", 50027,
        $"JWT token is invalid or malformed. {reason}");

    public static EntraError UnsupportedAssertionType() => new(400, "invalid_request", 50027,
        "JWT token is invalid or malformed. The client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.");

    /// <summary>Both a secret and an assertion were sent; the simulator (like the OAuth spec) allows one client authentication method.</summary>
    public static EntraError MoreThanOneCredential() => new(400, "invalid_request", 50027,
        "Only one client credential may be sent: either client_secret or client_assertion.");

    /// <summary>An injected server-side failure (5xx).</summary>
    public static EntraError ServerError(int status) => new(status, "temporarily_unavailable", 50000,
        "There was an error issuing a token or an issue with our sign-in service.");

    /// <summary>An injected 429: the tenant is being throttled.</summary>
    public static EntraError Throttled() => new(429, "temporarily_unavailable", 90055,
        "TenantThrottlingError - There are too many incoming requests. This exception is thrown for blocked tenants.");

    /// <summary>An injected error with any other status.</summary>
    public static EntraError Injected(int status) => new(status, status == 401 ? "invalid_client" : "invalid_request", 90000,
        "Injected failure.");

    private static string KeyTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("MM/dd/yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
