using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Defender.Simulator.Tenants;

namespace Defender.Simulator.Identity;

/// <summary>
/// Checks a client assertion as Entra ID does for certificate credentials: the header names a registered certificate
/// by <c>x5t</c> (SHA-1) and/or <c>x5t#S256</c> (SHA-256), that key credential is within its dates, the RS256 or PS256
/// signature verifies with its public key, <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> is this token endpoint,
/// <c>exp</c>/<c>nbf</c> hold (with clock skew) and <c>jti</c> is present.
/// </summary>
internal static class ClientAssertionValidator
{
    public static EntraError? Validate(
        ClientAssertion assertion,
        string clientId,
        IReadOnlyList<RegisteredCertificate> certificates,
        IReadOnlyCollection<string> audiences,
        DateTimeOffset now,
        TimeSpan skew)
    {
        var key = certificates.FirstOrDefault(c => Names(assertion, c));
        if (key is null)
        {
            return EntraError.AssertionKeyNotFound(clientId, ClaimedThumbprint(assertion));
        }

        if (now < key.StartsAt || now > key.ExpiresAt)
        {
            return EntraError.AssertionKeyExpired(key.Thumbprint, key.StartsAt, key.ExpiresAt, notYetValid: now < key.StartsAt);
        }

        if (!SignatureVerifies(assertion, key))
        {
            return EntraError.AssertionBadSignature(key.Thumbprint, key.StartsAt, key.ExpiresAt);
        }

        if (assertion.Issuer is null || assertion.Subject is null || assertion.ExpiresAt is null || assertion.JwtId is null
            || assertion.Audiences.Count == 0)
        {
            return EntraError.MalformedAssertion("The assertion must carry the iss, sub, aud, exp and jti claims.");
        }

        if (!string.Equals(assertion.Issuer, clientId, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(assertion.Subject, clientId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraError.AssertionWrongClient();
        }

        if (!assertion.Audiences.Any(aud => audiences.Any(expected =>
                string.Equals(aud.TrimEnd('/'), expected.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))))
        {
            return EntraError.AssertionWrongAudience();
        }

        return now > assertion.ExpiresAt + skew || (assertion.NotBefore is { } notBefore && now < notBefore - skew)
            ? EntraError.AssertionOutsideValidTime(now, assertion.NotBefore, assertion.ExpiresAt)
            : null;
    }

    /// <summary>Every thumbprint the header gives must name the certificate; at least one must be given.</summary>
    private static bool Names(ClientAssertion assertion, RegisteredCertificate certificate) =>
        (assertion.X5t is not null || assertion.X5tS256 is not null)
        && (assertion.X5t is null || RegisteredCertificate.Matches(assertion.X5t, certificate.Sha1Thumbprint))
        && (assertion.X5tS256 is null || RegisteredCertificate.Matches(assertion.X5tS256, certificate.Sha256Thumbprint));

    private static bool SignatureVerifies(ClientAssertion assertion, RegisteredCertificate key)
    {
        var padding = assertion.Algorithm switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        using var rsa = key.Certificate.GetRSAPublicKey();
        return padding is not null && rsa is not null
            && rsa.VerifyData(assertion.SigningInput, assertion.Signature, HashAlgorithmName.SHA256, padding);
    }

    /// <summary>The thumbprint the client claimed, in Entra ID's hex form, for the error message.</summary>
    private static string ClaimedThumbprint(ClientAssertion assertion)
    {
        var claimed = assertion.X5t ?? assertion.X5tS256;
        try
        {
            return claimed is null ? "" : Convert.ToHexString(System.Buffers.Text.Base64Url.DecodeFromChars(claimed));
        }
        catch (FormatException)
        {
            return "";
        }
    }
}
