namespace Defender.Mssp.Runtime.Tenants;

/// <summary>What purging a deleted tenant's data touches and how long it waits for the owning silo to let go.</summary>
public sealed class TenantPurgeOptions
{
    /// <summary>Two balancing intervals and a lease renewal: time for the owner to notice the deletion and release.</summary>
    public static readonly TimeSpan DefaultReleaseTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultReleaseCheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The JSON Lines sink's root folder (<c>Sinks:JsonLines:Path</c>, shared with the silos); the tenant's delivered
    /// data is the folder <c>{SinkPath}/{tenantId}</c>. Null: delivered data is not this process's to delete.
    /// </summary>
    public string? SinkPath { get; set; }

    /// <summary>
    /// Further roots that hold a folder per tenant — CSV sinks, other JSON Lines sinks, the dead-letter folder — whose
    /// <c>{root}/{tenantId}</c> a purge deletes too.
    /// </summary>
    public List<string> DataPaths { get; } = [];

    /// <summary>
    /// The root of the file sinks tenants are given through the API (<c>TenantSinks:FolderRoot</c>, shared with the
    /// silos): a tenant's own sink with folder <c>f</c> writes under <c>{root}/{f}/{tenantId}</c>. Null: those files
    /// are not this process's to delete.
    /// </summary>
    public string? TenantSinkFolderRoot { get; set; }

    /// <summary>How long a purge waits for the owning silo to release the tenant's state lease before breaking it.</summary>
    public TimeSpan ReleaseTimeout { get; set; } = DefaultReleaseTimeout;

    public TimeSpan ReleaseCheckInterval { get; set; } = DefaultReleaseCheckInterval;
}
