using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Runtime.Tests.Tenants;

internal static class Documents
{
    public static string NewTenantId() => Guid.NewGuid().ToString();

    public static TenantDocument New(string? tenantId = null, SealedCredential? credential = null) => new()
    {
        TenantId = tenantId ?? NewTenantId(),
        ClientId = Guid.NewGuid().ToString(),
        DisplayName = "Contoso",
        Credential = credential,
        Version = 1,
        CreatedAt = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero),
    };
}
