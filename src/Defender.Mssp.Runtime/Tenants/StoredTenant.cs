using Azure;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>A tenant document as read, with the blob ETag to make the next write conditional on.</summary>
public sealed record StoredTenant(TenantDocument Document, ETag ETag);
