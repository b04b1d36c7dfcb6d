using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// Removes what a deleted tenant left behind: its grain state blob and its delivered records (the sink folder). Call
/// it only after the tenant document is gone, so no silo claims the tenant again.
/// </summary>
/// <remarks>
/// The owning silo stops the grain and releases the state lease within a balancing interval of the deletion. Purging
/// waits for that, so the grain's last state write and sink batch land before the data goes, not after; only when the
/// owner is unresponsive for <see cref="TenantPurgeOptions.ReleaseTimeout"/> is its lease broken, which fences the
/// owner's next state write.
/// </remarks>
public sealed class TenantDataPurger
{
    private readonly BlobContainerClient _container;
    private readonly string _statePrefix;
    private readonly TenantPurgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TenantDataPurger(
        BlobContainerClient container,
        string statePrefix,
        TenantPurgeOptions options,
        TimeProvider? timeProvider = null,
        ILogger<TenantDataPurger>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(statePrefix);
        ArgumentNullException.ThrowIfNull(options);
        _container = container;
        _statePrefix = statePrefix;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<TenantDataPurger>.Instance;
    }

    /// <summary>Deletes the tenant's state blob and sink folder; idempotent.</summary>
    public Task<TenantPurgeResult> PurgeAsync(string tenantId, CancellationToken cancellationToken) =>
        PurgeAsync(tenantId, [], cancellationToken);

    /// <summary>
    /// Deletes the tenant's state blob and sink folders, among them those of its own file sinks, named by their
    /// <paramref name="tenantSinkFolders"/> (relative to <see cref="TenantPurgeOptions.TenantSinkFolderRoot"/>; one that
    /// leaves the root is ignored); idempotent.
    /// </summary>
    public async Task<TenantPurgeResult> PurgeAsync(
        string tenantId, IEnumerable<string> tenantSinkFolders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantSinkFolders);
        if (!TenantIds.IsCanonical(tenantId))
        {
            // The id becomes a blob and a folder name: nothing but a canonical GUID may.
            throw new ArgumentException("Tenant ids are purged in canonical GUID form only.", nameof(tenantId));
        }

        var state = _container.GetBlobClient(_statePrefix + tenantId + ".json");
        var leaseBroken = false;
        if (!await WaitForReleaseAsync(state.Name, cancellationToken).ConfigureAwait(false))
        {
            await BreakLeaseAsync(state, cancellationToken).ConfigureAwait(false);
            leaseBroken = true;
            TenantPurgeLog.LeaseBroken(_logger, tenantId, state.Name);
        }

        var stateDeleted = (await state.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var dataDeleted = DeleteDeliveredData(tenantId, tenantSinkFolders);
        TenantPurgeLog.Purged(_logger, tenantId, stateDeleted, dataDeleted);
        return new TenantPurgeResult(stateDeleted, dataDeleted, leaseBroken);
    }

    /// <returns>True once the state blob is unleased (or absent); false when the timeout passed first.</returns>
    private async Task<bool> WaitForReleaseAsync(string blobName, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.ReleaseTimeout;
        while (true)
        {
            if (!await IsLeasedAsync(blobName, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(_options.ReleaseCheckInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> IsLeasedAsync(string blobName, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _container.GetBlobsAsync(prefix: blobName, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(item.Name, blobName, StringComparison.Ordinal))
                {
                    return item.Properties.LeaseState is LeaseState.Leased or LeaseState.Breaking;
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
        }

        return false;
    }

    private static async Task BreakLeaseAsync(BlobClient state, CancellationToken cancellationToken)
    {
        try
        {
            await state.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // Gone, or released in the meantime (409 LeaseNotPresentWithLeaseOperation): nothing left to break.
        }
    }

    /// <returns>True when a folder of the tenant's was deleted under any of the roots.</returns>
    private bool DeleteDeliveredData(string tenantId, IEnumerable<string> tenantSinkFolders)
    {
        var roots = new[] { _options.SinkPath }.Concat(_options.DataPaths)
            .Where(path => !string.IsNullOrWhiteSpace(path))
            .Select(path => Path.GetFullPath(path!))
            .Concat(TenantSinkRoots(tenantSinkFolders))
            .Distinct(StringComparer.Ordinal);
        var deleted = false;
        foreach (var root in roots)
        {
            deleted |= DeleteUnder(root, tenantId);
        }

        return deleted;
    }

    /// <summary>The full paths of the tenant's own file sinks, each checked to lie under the tenant sink root.</summary>
    private IEnumerable<string> TenantSinkRoots(IEnumerable<string> folders)
    {
        if (string.IsNullOrWhiteSpace(_options.TenantSinkFolderRoot))
        {
            yield break;
        }

        var root = Path.GetFullPath(_options.TenantSinkFolderRoot);
        foreach (var folder in folders.Where(folder => !string.IsNullOrWhiteSpace(folder)))
        {
            // Checked when the sink was accepted; checked again, as the silo does, before anything is deleted.
            var path = Path.GetFullPath(Path.Combine(root, folder));
            if (IsUnder(path, root))
            {
                yield return path;
            }
        }
    }

    private static bool DeleteUnder(string root, string tenantId)
    {
        var folder = Path.GetFullPath(Path.Combine(root, tenantId));
        if (!IsUnder(folder, root) || !Directory.Exists(folder))
        {
            return false;
        }

        Directory.Delete(folder, recursive: true);
        return true;
    }

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
