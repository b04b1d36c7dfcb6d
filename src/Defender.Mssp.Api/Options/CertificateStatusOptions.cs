using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Options;

/// <summary>
/// How tenant status reports client certificates (configuration section <c>Api:Status</c>): a certificate expiring
/// within <see cref="CertificateExpiryWarning"/> shows <c>expiresSoon</c>, early enough to upload its successor.
/// </summary>
public sealed class CertificateStatusOptions
{
    public const string SectionName = "Api:Status";

    public static readonly TimeSpan DefaultCertificateExpiryWarning = TimeSpan.FromDays(30);

    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Api:Status:CertificateExpiryWarning must be between 0 and 365 days.")]
    public TimeSpan CertificateExpiryWarning { get; set; } = DefaultCertificateExpiryWarning;
}
