namespace Defender.Mssp.Defender.Tokens;

/// <summary>Entra ID error codes an MSSP meets most, with what the operator should do about each.</summary>
public static class AadstsCodes
{
    public const string InvalidClientSecret = "AADSTS7000215";
    public const string ExpiredClientSecret = "AADSTS7000222";
    public const string ApplicationNotInTenant = "AADSTS700016";
    public const string ConsentRequired = "AADSTS65001";
    public const string TenantNotFound = "AADSTS90002";
    public const string InvalidClientAssertionSignature = "AADSTS700027";
    public const string ClientAssertionAudienceMismatch = "AADSTS700023";
    public const string ClientAssertionOutsideValidTime = "AADSTS700024";
    public const string ApplicationDisabled = "AADSTS7000112";
    public const string ResourceNotInTenant = "AADSTS500011";
    public const string InvalidTenantIdentifier = "AADSTS900023";

    /// <summary>A short operator hint for a known code, or null.</summary>
    public static string? Describe(string? code) => code switch
    {
        InvalidClientSecret => "the client secret is wrong",
        ExpiredClientSecret => "the client secret has expired",
        ApplicationNotInTenant => "the application is not registered or not consented in this tenant",
        ConsentRequired => "admin consent for the application is missing",
        TenantNotFound => "the tenant does not exist",
        InvalidClientAssertionSignature =>
            "the client certificate is not registered on the application, has expired there, or does not match its private key",
        ClientAssertionAudienceMismatch => "the client assertion was made for another token endpoint",
        ClientAssertionOutsideValidTime => "the client assertion is not within its valid time range (check the clock)",
        ApplicationDisabled => "the application is disabled in this tenant",
        ResourceNotInTenant => "the API is not available to the application in this tenant (admin consent for it is missing)",
        InvalidTenantIdentifier => "the tenant id is neither a valid tenant id nor a verified domain",
        _ => null,
    };
}
