namespace Defender.AppHost.ManagementApi;

/// <summary>The body of <c>POST /tenants</c> as the AppHost sends it (camelCase JSON).</summary>
public sealed record TenantCreateRequest(string TenantId, string DisplayName, string ClientId, string ClientSecret, TimeSpan PollInterval)
{
    /// <summary>Keeps the client secret out of anything that formats this record.</summary>
    public override string ToString() => $"{nameof(TenantCreateRequest)} {{ TenantId = {TenantId}, DisplayName = {DisplayName} }}";
}

/// <summary>The body of <c>PUT /tenants/{tenantId}/credentials</c>.</summary>
public sealed record CredentialsRequest(string ClientId, string ClientSecret)
{
    public override string ToString() => $"{nameof(CredentialsRequest)} {{ ClientId = {ClientId} }}";
}
