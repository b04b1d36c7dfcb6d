namespace Defender.Mssp.Defender.Tokens;

/// <summary>Entra ID error codes an MSSP meets most, with what the operator should do about each.</summary>
public static class AadstsCodes
{
    public const string InvalidClientSecret = "AADSTS7000215";
    public const string ExpiredClientSecret = "AADSTS7000222";
    public const string ApplicationNotInTenant = "AADSTS700016";
    public const string ConsentRequired = "AADSTS65001";
    public const string TenantNotFound = "AADSTS90002";

    /// <summary>A short operator hint for a known code, or null.</summary>
    public static string? Describe(string? code) => code switch
    {
        InvalidClientSecret => "the client secret is wrong",
        ExpiredClientSecret => "the client secret has expired",
        ApplicationNotInTenant => "the application is not registered or not consented in this tenant",
        ConsentRequired => "admin consent for the application is missing",
        TenantNotFound => "the tenant does not exist",
        _ => null,
    };
}
