namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>The Blob service's header names this client sends or reads.</summary>
internal static class BlobHeaderNames
{
    public const string Version = "x-ms-version";
    public const string Date = "x-ms-date";
    public const string ErrorCode = "x-ms-error-code";
    public const string BlobType = "x-ms-blob-type";
    public const string BlobContentType = "x-ms-blob-content-type";
    public const string MetadataPrefix = "x-ms-meta-";
    public const string LeaseId = "x-ms-lease-id";
    public const string LeaseAction = "x-ms-lease-action";
    public const string LeaseDuration = "x-ms-lease-duration";
    public const string LeaseBreakPeriod = "x-ms-lease-break-period";
    public const string ProposedLeaseId = "x-ms-proposed-lease-id";
    public const string LeaseTime = "x-ms-lease-time";
    public const string LeaseState = "x-ms-lease-state";
    public const string LeaseStatus = "x-ms-lease-status";
    public const string LastModified = "Last-Modified";
}
