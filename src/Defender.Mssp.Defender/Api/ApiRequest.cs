using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Api;

/// <summary>One GET against a Defender API on behalf of a tenant, with the token resource it needs.</summary>
internal sealed record ApiRequest(string Source, TenantSettings Tenant, string Resource, Uri Uri);
