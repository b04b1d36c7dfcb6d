using Defender.Mssp.Defender.Configuration;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Http;

/// <summary>Fails at start when the trust anchor file is configured but unreadable or holds no certificate.</summary>
internal sealed class DefenderHttpOptionsValidator : IValidateOptions<DefenderHttpOptions>
{
    public ValidateOptionsResult Validate(string? name, DefenderHttpOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.TrustedCertificatesPath))
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            TrustAnchorCertificateValidator.FromPemFile(options.TrustedCertificatesPath);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException
                                       or System.Security.Cryptography.CryptographicException)
        {
            return ValidateOptionsResult.Fail(
                $"Defender:Http:TrustedCertificatesPath '{options.TrustedCertificatesPath}' is unusable: {ex.Message}");
        }
    }
}
