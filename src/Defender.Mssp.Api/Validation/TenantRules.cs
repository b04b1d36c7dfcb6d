using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Validation;

/// <summary>The fixed rules for tenant fields; the configurable bounds are <c>TenantRulesOptions</c>.</summary>
public static class TenantRules
{
    public const int MaxDisplayNameLength = 256;

    public const int MaxSecretLength = 1_024;

    /// <summary>A PKCS#12 file (base64) or PEM text with a chain of a few certificates fits easily.</summary>
    public const int MaxCertificateLength = 32 * 1_024;

    public const int MaxCertificatePasswordLength = 1_024;

    /// <summary>The only <c>credential.kind</c> there is: secrets travel in <c>clientSecret</c>.</summary>
    public const string CertificateKind = "certificate";

    public const int MaxMachineGroups = 100;

    public const int MaxMachineGroupLength = 256;

    /// <summary>SIEM API regions (seed 003: <c>wdatp-alertexporter-{eu,us,uk}</c>).</summary>
    public static IReadOnlyList<string> SiemRegions { get; } = ["eu", "us", "uk"];

    /// <summary>XDR API regional hosts (<c>{region}.api.security.microsoft.com</c>).</summary>
    public static IReadOnlyList<string> XdrRegions { get; } = ["us", "eu", "uk", "au"];

    public static IReadOnlyList<string> Clouds { get; } = Enum.GetNames<DefenderCloud>();

    public static IReadOnlyList<string> Sources => DefenderSources.All;

    /// <summary>
    /// Characters that make a spreadsheet treat a cell as a formula (CSV injection). Display names go back into the
    /// MSSP's spreadsheets, so they may not start with one.
    /// </summary>
    public static IReadOnlyList<char> FormulaPrefixes { get; } = ['=', '+', '-', '@', '\t', '\r'];

    public static bool HasControlCharacters(string text) => text.Any(char.IsControl);
}
