namespace Defender.Mssp.Api.Security;

/// <summary>The management API's roles. Admin can do everything Reader can.</summary>
public static class ApiRoles
{
    /// <summary>Reads tenants, their status and the cluster; changes nothing.</summary>
    public const string Reader = "Reader";

    /// <summary>Also onboards, changes, pauses, polls, rotates credentials of and removes tenants.</summary>
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Reader, Admin];
}

/// <summary>Authorization policy names.</summary>
public static class ApiPolicies
{
    /// <summary>Any authenticated caller in role Reader or Admin.</summary>
    public const string Read = "management.read";

    /// <summary>Callers in role Admin.</summary>
    public const string Manage = "management.manage";
}

/// <summary>Authentication scheme names.</summary>
public static class ApiAuthenticationSchemes
{
    public const string ApiKey = "ApiKey";

    /// <summary>The default: picks <see cref="ApiKey"/> or JWT bearer by the request's credentials.</summary>
    public const string ApiKeyOrBearer = "ApiKeyOrBearer";
}

/// <summary>Claim types the API itself issues.</summary>
public static class ApiClaimTypes
{
    /// <summary>
    /// The caller's management role. Only this API sets it — from an API key's configured role or a token's mapped app
    /// role — so no claim an outside issuer put in a token can grant a role by its name alone.
    /// </summary>
    public const string Role = "defender.mssp.role";
}
