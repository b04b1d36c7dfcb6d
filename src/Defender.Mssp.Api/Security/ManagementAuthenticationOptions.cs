using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Security;

/// <summary>
/// Who may call the management API (configuration section <c>Api:Authentication</c>): API keys, and optionally JWT
/// bearer tokens from Entra ID. At least one must be configured, or the API would refuse everyone.
/// </summary>
public sealed class ManagementAuthenticationOptions : IValidatableObject
{
    public const string SectionName = "Api:Authentication";

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>JWT bearer from Entra ID; off unless <see cref="JwtBearerSettings.Authority"/> is set.</summary>
    public JwtBearerSettings Jwt { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        foreach (var key in ApiKeys)
        {
            Validator.TryValidateObject(key, new ValidationContext(key), results, validateAllProperties: true);
        }

        foreach (var duplicate in ApiKeys.GroupBy(key => key.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            results.Add(new ValidationResult($"API key name '{duplicate.Key}' is used more than once.", [nameof(ApiKeys)]));
        }

        Validator.TryValidateObject(Jwt, new ValidationContext(Jwt), results, validateAllProperties: true);
        if (ApiKeys.Count == 0 && !Jwt.Enabled)
        {
            results.Add(new ValidationResult(
                "Configure Api:Authentication:ApiKeys or Api:Authentication:Jwt:Authority; without either no one can use the API.",
                [nameof(ApiKeys)]));
        }

        return results;
    }
}

/// <summary>JWT bearer validation for tokens from Entra ID (<c>Api:Authentication:Jwt</c>).</summary>
public sealed class JwtBearerSettings : IValidatableObject
{
    public const string DefaultReaderRole = "Defender.Mssp.Reader";

    public const string DefaultAdminRole = "Defender.Mssp.Admin";

    /// <summary>The token issuer's authority, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The API's application id URI or client id, as the token's <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>The app role (in the token's <c>roles</c> claim) that grants <see cref="ApiRoles.Reader"/>.</summary>
    public string ReaderRole { get; set; } = DefaultReaderRole;

    /// <summary>The app role that grants <see cref="ApiRoles.Admin"/>.</summary>
    public string AdminRole { get; set; } = DefaultAdminRole;

    /// <summary>The claim that names the caller in logs and audit fields.</summary>
    public string NameClaimType { get; set; } = "oid";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            yield return new ValidationResult("Api:Authentication:Jwt:Authority must be an absolute https URI.", [nameof(Authority)]);
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult("Api:Authentication:Jwt:Audience is required with an authority.", [nameof(Audience)]);
        }
    }
}
