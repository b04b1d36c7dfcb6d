using System.Collections.Concurrent;
using Azure;
using Azure.Core;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.Runtime.Tests.Cluster;

/// <summary>
/// A real container on Azurite whose lease renewals a test can disturb: all of them fail as a busy server's would
/// while <see cref="Failing"/> is set, and those of <see cref="StuckBlob"/> hang until cancelled. Everything else
/// (acquire, release, state, heartbeats) goes to Azurite untouched.
/// </summary>
internal sealed class FlakyRenewalContainer(string connectionString, string name) : BlobContainerClient(connectionString, name)
{
    private readonly ConcurrentDictionary<string, int> _renewals = new(StringComparer.Ordinal);
    private volatile bool _failing;

    /// <summary>While set, every renewal fails with 503 ServerBusy (a transient failure, not a refusal).</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>The blob (e.g. <c>state/tenant-0000.json</c>) whose renewals never answer; null for none.</summary>
    public string? StuckBlob { get; init; }

    /// <summary>Renewal requests started per blob name, failed and stuck ones included.</summary>
    public int RenewalsOf(string blobName) => _renewals.GetValueOrDefault(blobName);

    public override BlobClient GetBlobClient(string blobName) => new FlakyBlob(base.GetBlobClient(blobName), this);

    private sealed class FlakyBlob(BlobClient inner, FlakyRenewalContainer owner)
        : BlobClient(inner.Uri, inner.BlobContainerName, inner.Name, inner.Pipeline)
    {
        public override BlobLeaseClient GetBlobLeaseClient(string? leaseId = null) => new FlakyLease(this, leaseId, owner);
    }

    private sealed class FlakyLease(BlobClient blob, string? leaseId, FlakyRenewalContainer owner) : BlobLeaseClient(blob, leaseId)
    {
        private readonly string _blobName = blob.Name;

        public override async Task<Response<BlobLease>> RenewAsync(RequestConditions? conditions = null, CancellationToken cancellationToken = default)
        {
            owner._renewals.AddOrUpdate(_blobName, 1, static (_, count) => count + 1);
            if (owner.Failing)
            {
                throw new RequestFailedException(503, "The server is busy.", "ServerBusy", null);
            }

            if (_blobName == owner.StuckBlob)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await base.RenewAsync(conditions, cancellationToken);
        }
    }
}
