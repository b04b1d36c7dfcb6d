using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// The cluster's membership table, as Orleans' but in blobs: one heartbeat blob per silo
/// (<c>{prefix}{siloId}.json</c>). A silo is live while its last heartbeat is younger than the staleness threshold,
/// judged by the reader's clock (so the threshold must exceed any clock skew between machines; NTP keeps that far
/// below the seconds involved). Any silo may delete a stale entry.
/// </summary>
public sealed class MembershipTable
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly TimeSpan _staleAfter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MembershipTable(
        BlobContainerClient container,
        string prefix,
        TimeSpan staleAfter,
        TimeProvider? timeProvider = null,
        ILogger<MembershipTable>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(prefix);
        _container = container;
        _prefix = prefix;
        _staleAfter = staleAfter;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<MembershipTable>.Instance;
    }

    /// <summary>The blob that holds <paramref name="siloId"/>'s heartbeat.</summary>
    public string BlobName(string siloId) => _prefix + siloId + ".json";

    /// <summary>Writes (overwrites) the silo's heartbeat.</summary>
    public async Task WriteAsync(SiloHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var content = BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(heartbeat, GrainStateJson.Options));
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        await _container.GetBlobClient(BlobName(heartbeat.SiloId)).UploadAsync(content, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every silo in the table, live or not, in silo id order. Entries that vanish or cannot be read are left out.</summary>
    public async Task<IReadOnlyList<SiloEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(prefix: _prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (item.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    names.Add(item.Name);
                }
            }
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return [];
        }

        var entries = new ConcurrentBag<SiloEntry>();
        await Parallel.ForEachAsync(names, cancellationToken, async (name, ct) =>
        {
            if (await ReadEntryAsync(name, ct).ConfigureAwait(false) is { } entry)
            {
                entries.Add(entry);
            }
        }).ConfigureAwait(false);
        return entries.OrderBy(entry => entry.Heartbeat.SiloId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Deletes <paramref name="siloId"/>'s heartbeat; with <paramref name="ifMatch"/>, only if it was not rewritten
    /// since it was read — a silo that came back to life keeps its fresh entry.
    /// </summary>
    /// <returns>True when this call deleted it.</returns>
    public async Task<bool> DeleteAsync(string siloId, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var conditions = ifMatch is { } etag ? new BlobRequestConditions { IfMatch = etag } : null;
        try
        {
            var deleted = await _container.GetBlobClient(BlobName(siloId))
                .DeleteIfExistsAsync(conditions: conditions, cancellationToken: cancellationToken).ConfigureAwait(false);
            return deleted.Value;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Deletes the stale entries among <paramref name="entries"/>, each only if unchanged since read.</summary>
    /// <returns>The ids of the silos removed.</returns>
    public async Task<IReadOnlyList<string>> RemoveStaleAsync(IEnumerable<SiloEntry> entries, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var entry in entries.Where(entry => !entry.IsLive))
        {
            if (await DeleteAsync(entry.Heartbeat.SiloId, entry.ETag, cancellationToken).ConfigureAwait(false))
            {
                ClusterLog.StaleSiloRemoved(_logger, entry.Heartbeat.SiloId, entry.Heartbeat.LastHeartbeat);
                removed.Add(entry.Heartbeat.SiloId);
            }
        }

        return removed;
    }

    /// <summary>Whether a heartbeat written at <paramref name="lastHeartbeat"/> is still fresh now.</summary>
    public bool IsFresh(DateTimeOffset lastHeartbeat) => _time.GetUtcNow() - lastHeartbeat <= _staleAfter;

    private async Task<SiloEntry?> ReadEntryAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var heartbeat = download.Value.Content.ToObjectFromJson<SiloHeartbeat>(GrainStateJson.Options);
            if (heartbeat is null || string.IsNullOrEmpty(heartbeat.SiloId))
            {
                ClusterLog.UnreadableHeartbeat(_logger, name, null);
                return null;
            }

            return new SiloEntry(heartbeat, download.Value.Details.ETag, IsFresh(heartbeat.LastHeartbeat));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Deleted between listing and reading: a silo that just left.
            return null;
        }
        catch (JsonException e)
        {
            ClusterLog.UnreadableHeartbeat(_logger, name, e);
            return null;
        }
    }
}
