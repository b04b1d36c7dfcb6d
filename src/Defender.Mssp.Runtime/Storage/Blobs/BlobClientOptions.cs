using Azure.Core;

namespace Defender.Mssp.Runtime.Storage.Blobs;

/// <summary>
/// Pipeline options for the blob clients: Azure.Core's retry, diagnostics and transport settings, with retry defaults
/// sized for small state blobs guarded by 15–60 s leases — a lease renewal stuck in long back-offs would outlive the
/// lease it is trying to keep.
/// </summary>
public class BlobClientOptions : ClientOptions
{
    public const int DefaultMaxRetries = 3;

    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(400);

    public static readonly TimeSpan DefaultMaxRetryDelay = TimeSpan.FromSeconds(4);

    public static readonly TimeSpan DefaultNetworkTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The REST API version sent as <c>x-ms-version</c>.</summary>
    internal const string ServiceVersion = "2025-01-05";

    public BlobClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = DefaultMaxRetries;
        Retry.Delay = DefaultRetryDelay;
        Retry.MaxDelay = DefaultMaxRetryDelay;
        Retry.NetworkTimeout = DefaultNetworkTimeout;

        // Headers and query parameters that help diagnose storage calls. Authorization and x-ms-lease-id stay redacted.
        foreach (var header in new[]
                 {
                     BlobHeaderNames.ErrorCode, BlobHeaderNames.Version, BlobHeaderNames.BlobType,
                     BlobHeaderNames.LeaseAction, BlobHeaderNames.LeaseDuration, BlobHeaderNames.LeaseState,
                     BlobHeaderNames.LeaseStatus, BlobHeaderNames.LeaseTime,
                 })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }

        foreach (var parameter in new[] { "comp", "restype", "prefix", "maxresults", "include" })
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    /// <summary>The clock that dates Shared Key requests (<c>x-ms-date</c>). Tests may fix it.</summary>
    internal TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
