using System.Security.Authentication;

namespace Defender.Mssp.Defender.Http;

/// <summary>
/// Tells a TLS handshake that rejected the server's certificate from other connection failures: retrying it cannot
/// help, an operator must fix the trust configuration (or the server its certificate).
/// </summary>
public static class CertificateFailures
{
    public static bool IsCertificateFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
