using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Api.Options;

/// <summary>Size limits on requests (configuration section <c>Api:Limits</c>).</summary>
public sealed class RequestLimitsOptions
{
    public const string SectionName = "Api:Limits";

    public const int DefaultMaxRequestBodyBytes = 64 * 1024;

    public const int DefaultMaxBulkRequestBodyBytes = 4 * 1024 * 1024;

    public const int DefaultMaxBulkRows = 5_000;

    public const int StandardPageSize = 100;

    public const int DefaultMaxPageSize = 1_000;

    /// <summary>The largest body of a single-tenant request; a tenant is well under 4 KiB.</summary>
    [Range(1_024, 16 * 1024 * 1024, ErrorMessage = "Api:Limits:MaxRequestBodyBytes must be between 1 KiB and 16 MiB.")]
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>The largest body of a bulk request (JSON array or CSV).</summary>
    [Range(1_024, 256 * 1024 * 1024, ErrorMessage = "Api:Limits:MaxBulkRequestBodyBytes must be between 1 KiB and 256 MiB.")]
    public int MaxBulkRequestBodyBytes { get; set; } = DefaultMaxBulkRequestBodyBytes;

    /// <summary>The most tenants one bulk request may carry.</summary>
    [Range(1, 100_000, ErrorMessage = "Api:Limits:MaxBulkRows must be between 1 and 100000.")]
    public int MaxBulkRows { get; set; } = DefaultMaxBulkRows;

    /// <summary>Tenants per page of <c>GET /tenants</c> when the caller does not say.</summary>
    [Range(1, 10_000, ErrorMessage = "Api:Limits:DefaultPageSize must be between 1 and 10000.")]
    public int DefaultPageSize { get; set; } = StandardPageSize;

    [Range(1, 10_000, ErrorMessage = "Api:Limits:MaxPageSize must be between 1 and 10000.")]
    public int MaxPageSize { get; set; } = DefaultMaxPageSize;
}
