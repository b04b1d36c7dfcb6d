using System.Text.Json;
using Defender.Mssp.Runtime.Storage.Blobs;

namespace Defender.Mssp.IntegrationTests.Chaos;

/// <summary>
/// A tenant's status as its owning silo last saved it in <c>state/{tenantId}.json</c> — the same document the management
/// API's status view reads: health, owner and each source's watermark.
/// </summary>
public sealed record TenantStatus(Guid TenantId, string? Health, string? OwnerSiloId, IReadOnlyDictionary<string, DateTimeOffset?> Watermarks)
{
    public const string Healthy = "Healthy";

    public bool IsHealthy => Health == Healthy;

    /// <summary>How far the slowest source's saved watermark trails <paramref name="now"/> (infinite when one has none).</summary>
    public TimeSpan Lag(DateTimeOffset now) =>
        Watermarks.Count == 0 || Watermarks.Values.Any(w => w is null)
            ? TimeSpan.MaxValue
            : now - Watermarks.Values.Min(w => w!.Value);

    /// <summary>Reads the saved status; a tenant without a state blob yet has no health.</summary>
    public static async Task<TenantStatus> ReadAsync(BlobContainerClient container, Guid tenantId)
    {
        BinaryData content;
        try
        {
            content = (await container.GetBlobClient($"state/{tenantId}.json").DownloadContentAsync().ConfigureAwait(false)).Value.Content;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return new TenantStatus(tenantId, null, null, new Dictionary<string, DateTimeOffset?>());
        }

        using var state = JsonDocument.Parse(content.ToMemory());
        var root = state.RootElement;
        var watermarks = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        if (root.TryGetProperty("sources", out var sources))
        {
            foreach (var source in sources.EnumerateObject())
            {
                watermarks[source.Name] = source.Value.TryGetProperty("watermark", out var w) && w.ValueKind == JsonValueKind.String
                    ? w.GetDateTimeOffset()
                    : null;
            }
        }

        return new TenantStatus(
            tenantId,
            root.TryGetProperty("health", out var health) ? health.GetString() : null,
            root.TryGetProperty("ownerSiloId", out var owner) ? owner.GetString() : null,
            watermarks);
    }

    public static async Task<TenantStatus[]> ReadAllAsync(BlobContainerClient container, IEnumerable<Guid> tenantIds) =>
        await Task.WhenAll(tenantIds.Select(id => ReadAsync(container, id))).ConfigureAwait(false);

    public override string ToString() =>
        $"{TenantId}: {Health ?? "no state"} on {OwnerSiloId ?? "-"}, watermarks {string.Join(", ", Watermarks.Select(p => $"{p.Key}={p.Value:HH:mm:ss}"))}";
}
