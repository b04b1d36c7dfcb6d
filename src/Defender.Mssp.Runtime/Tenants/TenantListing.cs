using Azure;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>A tenant document as listed, without its content: the ETag tells whether a cached copy is current.</summary>
public sealed record TenantListing(string TenantId, ETag ETag);
