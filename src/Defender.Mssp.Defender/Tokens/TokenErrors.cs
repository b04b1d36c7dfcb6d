using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Sources;
using Microsoft.Identity.Client;

namespace Defender.Mssp.Defender.Tokens;

/// <summary>
/// Maps MSAL's failures to <see cref="TokenAcquisitionException"/>. The service's text is redacted by the
/// credential and MSAL's exception is not attached as the inner exception, because its message and response body
/// repeat the server's words verbatim and a misbehaving endpoint could echo what it was sent.
/// </summary>
internal static partial class TokenErrors
{
    private const int MaxDescriptionLength = 300;

    public static TokenAcquisitionException FromService(
        string tenantId, string clientId, MsalServiceException ex, TenantClientCredential credential)
    {
        var aadsts = FindAadstsCode(ex);
        var transient = ex.StatusCode is >= 500 or 429 or 408 || ex is MsalThrottledServiceException
            || ex.ErrorCode is MsalError.RequestTimeout or MsalError.ServiceNotAvailable
            || (ex.StatusCode == 0 && ex.IsRetryable);
        var description = Shorten(credential.Redact(FirstLine(ex.Message)));
        var hint = AadstsCodes.Describe(aadsts);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Token request for tenant '{tenantId}' (client '{clientId}') failed: {ex.ErrorCode}" +
            $"{(aadsts is null ? "" : " " + aadsts)}{(hint is null ? "" : " (" + hint + ")")}, HTTP {ex.StatusCode}. " +
            $"{description} [correlation id {ex.CorrelationId}]");
        return new TokenAcquisitionException(tenantId, message, ex.ErrorCode, aadsts, transient);
    }

    public static TokenAcquisitionException FromClient(string tenantId, string clientId, MsalClientException ex,
        TenantClientCredential credential)
    {
        var transient = ex.IsRetryable || ex.ErrorCode is MsalError.RequestTimeout or MsalError.ServiceNotAvailable;
        var message = $"Token request for tenant '{tenantId}' (client '{clientId}') failed in MSAL: {ex.ErrorCode}. " +
                      Shorten(credential.Redact(FirstLine(ex.Message)));
        return new TokenAcquisitionException(tenantId, message, ex.ErrorCode, aadstsCode: null, transient);
    }

    /// <summary>
    /// No answer from the token endpoint: a connection failure or timeout is transient; a server certificate we do
    /// not trust is not (the trust configuration needs an operator).
    /// </summary>
    public static TokenAcquisitionException FromNetwork(string tenantId, string clientId, Exception ex) =>
        CertificateFailures.IsCertificateFailure(ex)
            ? new(tenantId,
                $"Token endpoint for tenant '{tenantId}' (client '{clientId}') presented a certificate that is not trusted: " +
                $"{FirstLine(ex.InnerException?.Message ?? ex.Message)}; see Defender:Http:TrustedCertificatesPath",
                errorCode: "untrusted_certificate", aadstsCode: null, isTransient: false, inner: ex)
            : new(tenantId,
                $"Token endpoint for tenant '{tenantId}' (client '{clientId}') did not answer: {ex.GetType().Name}: {FirstLine(ex.Message)}",
                errorCode: "no_response", aadstsCode: null, isTransient: true, inner: ex);

    private static string? FindAadstsCode(MsalServiceException ex)
    {
        var match = AadstsPattern().Match(ex.Message);
        if (match.Success)
        {
            return match.Value;
        }

        // Entra ID also lists the numeric codes: {"error_codes":[7000215], ...}.
        if (string.IsNullOrEmpty(ex.ResponseBody))
        {
            return null;
        }

        try
        {
            using var body = JsonDocument.Parse(ex.ResponseBody);
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error_codes", out var codes)
                && codes.ValueKind == JsonValueKind.Array && codes.GetArrayLength() > 0
                && codes[0].TryGetInt64(out var code))
            {
                return "AADSTS" + code.ToString(CultureInfo.InvariantCulture);
            }

            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error_description", out var description)
                && description.ValueKind == JsonValueKind.String)
            {
                var inDescription = AadstsPattern().Match(description.GetString()!);
                return inDescription.Success ? inDescription.Value : null;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page): no code to report.
        }

        return null;
    }

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    private static string Shorten(string text) =>
        text.Length <= MaxDescriptionLength ? text : text[..MaxDescriptionLength] + "…";

    [GeneratedRegex(@"AADSTS\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AadstsPattern();
}
