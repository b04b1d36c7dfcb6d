using System.Collections.Concurrent;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Runtime.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Defender.Mssp.Runtime.Cluster;

/// <summary>
/// This silo's part in the cluster: keeps its heartbeat in the membership table, owns tenants through leases on their
/// state blobs (renewing every one, aborting an activation the moment its lease is lost), and balances tenants with
/// the other silos — claiming unleased ones up to its fair share, handing over its surplus. Everything it knows about
/// the others comes from the shared blob container; silos never talk to each other.
/// </summary>
/// <remarks>
/// <para>Lifecycle: <see cref="StartAsync"/> writes the first heartbeat and starts three loops (heartbeat, lease
/// renewal, balancing); <see cref="StopAsync"/> leaves gracefully — deletes the heartbeat so the others count one silo
/// fewer, stops every activation (which persists), releases every lease — so the others take over within one
/// balancing interval.</para>
/// <para>Single ownership rests on storage, not on this class: an activation is started only after the lease is
/// acquired, every state write carries the lease id, and a tenant is not claimed again here while its previous
/// activation is still winding down.</para>
/// </remarks>
public sealed partial class ClusterMember : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ClusterOptions _options;
    private readonly BlobContainerClient _container;
    private readonly string _statePrefix;
    private readonly ITenantCatalog _catalog;
    private readonly IGrainActivator _activator;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly ClusterMetrics? _metrics;
    private readonly ConcurrentDictionary<string, OwnedTenant> _owned = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _membershipLoops = new();
    private readonly CancellationTokenSource _renewalLoop = new();
    private readonly SemaphoreSlim _roundGate = new(1, 1);
    private readonly RenewalLagMonitor _renewalLag;
    private Task _balancing = Task.CompletedTask;
    private Task _heartbeating = Task.CompletedTask;
    private Task _renewing = Task.CompletedTask;
    private DateTimeOffset _startedAt;
    private int _stopped;
    private int _renewalsInFlight;

    /// <param name="options">Validated options (see <see cref="ClusterOptions.Validate"/>).</param>
    /// <param name="container">The product's container: state blobs, heartbeats.</param>
    /// <param name="statePrefix">Where state blobs live: <c>{statePrefix}{tenantId}.json</c>, as the grain storage writes them.</param>
    public ClusterMember(
        ClusterOptions options,
        BlobContainerClient container,
        string statePrefix,
        ITenantCatalog catalog,
        IGrainActivator activator,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        Random? random = null,
        ClusterMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(statePrefix);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(activator);
        _options = options;
        _container = container;
        _statePrefix = statePrefix;
        _catalog = catalog;
        _activator = activator;
        _time = timeProvider ?? TimeProvider.System;
        _renewalLag = new RenewalLagMonitor(options.LeaseRenewalPeriod, _time);
        _random = random ?? Random.Shared;
        _metrics = metrics;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<ClusterMember>();
        Membership = new MembershipTable(
            container, options.SiloPrefix, options.SiloStaleAfter, _time, loggerFactory.CreateLogger<MembershipTable>());
    }

    public string SiloId => _options.SiloId;

    public MembershipTable Membership { get; }

    /// <summary>The tenants this silo owns and runs right now (not counting those being handed over).</summary>
    public IReadOnlyCollection<string> OwnedTenantIds =>
        _owned.Values.Where(owned => owned.IsActive).Select(owned => owned.TenantId).ToList();

    public int OwnedCount => _owned.Values.Count(owned => owned.IsActive);

    /// <summary>Tenants held in any state, those still being handed over or aborted included.</summary>
    internal int TrackedCount => _owned.Count;

    /// <summary>The ownership handle of an owned tenant, or null.</summary>
    public ITenantOwnership? GetOwnership(string tenantId) =>
        _owned.TryGetValue(tenantId, out var owned) && owned.IsActive ? owned.Lease : null;

    /// <summary>Joins the cluster: ensures the container, writes the first heartbeat, starts the loops.</summary>
    /// <exception cref="Azure.RequestFailedException">Storage is unreachable or refuses access: the silo cannot start.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        StartLoops();
    }

    /// <summary>
    /// Leaves gracefully: stops balancing, deletes the heartbeat, stops every activation (it persists) and releases
    /// every lease, renewing them until each is handed over. When <paramref name="cancellationToken"/> fires first the
    /// rest is abandoned: those leases expire by themselves.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _membershipLoops.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_balancing, _heartbeating).ConfigureAwait(false);
        try
        {
            await _roundGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await HandOverEverythingAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _roundGate.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ClusterLog.Abandoned(_logger, SiloId, _owned.Count);
        }
        finally
        {
            await _renewalLoop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Not stopped gracefully: stop the loops and leave the leases to expire, as a crash would.
        await _membershipLoops.CancelAsync().ConfigureAwait(false);
        await _renewalLoop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_balancing, _heartbeating, _renewing).ConfigureAwait(false);
    }

    /// <summary>Stops the loops without waiting for them (prefer <see cref="DisposeAsync"/>); leases expire by themselves.</summary>
    public void Dispose()
    {
        _membershipLoops.Cancel();
        _renewalLoop.Cancel();
    }

    /// <summary>Ensures the container and writes the first heartbeat; the loops are not started (tests drive them).</summary>
    internal async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        _startedAt = _time.GetUtcNow();
        await WriteHeartbeatAsync(cancellationToken).ConfigureAwait(false);
        ClusterLog.Joined(_logger, SiloId, _options.LeaseDuration, _options.LeaseRenewalPeriod, _options.BalancingInterval);
    }

    /// <summary>
    /// Dies as a killed process would, for tests: the loops stop, every activation is aborted, and the leases and the
    /// heartbeat are left in storage for the lease expiry and the staleness threshold to deal with.
    /// </summary>
    internal async Task AbandonAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _membershipLoops.CancelAsync().ConfigureAwait(false);
        await _renewalLoop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_balancing, _heartbeating, _renewing).ConfigureAwait(false);
        var owned = _owned.Values.ToList();
        foreach (var tenant in owned)
        {
            tenant.Lease.MarkLost("the silo abandoned it");
        }

        await Task.WhenAll(owned.Select(tenant => tenant.Supervision)).ConfigureAwait(false);
        ClusterLog.Abandoned(_logger, SiloId, owned.Count);
    }

    /// <summary>Writes this silo's heartbeat with its current tenant count.</summary>
    internal Task WriteHeartbeatAsync(CancellationToken cancellationToken) =>
        Membership.WriteAsync(new SiloHeartbeat
        {
            SiloId = SiloId,
            Endpoint = _options.Endpoint,
            StartedAt = _startedAt,
            LastHeartbeat = _time.GetUtcNow(),
            OwnedTenants = OwnedCount,
            Version = _options.Version,
        }, cancellationToken);

    private async Task HandOverEverythingAsync(CancellationToken cancellationToken)
    {
        // First leave the table: the others then count one silo fewer and claim what is released below.
        try
        {
            await Membership.DeleteAsync(SiloId, ifMatch: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ClusterLog.HeartbeatDeleteFailed(_logger, e, SiloId);
        }

        var owned = _owned.Values.ToList();
        foreach (var tenant in owned)
        {
            tenant.RequestStop();
        }

        await Task.WhenAll(owned.Select(tenant => tenant.Supervision)).WaitAsync(cancellationToken).ConfigureAwait(false);
        ClusterLog.Left(_logger, SiloId, owned.Count);
    }

    private string StateBlobName(string tenantId) => _statePrefix + tenantId + ".json";
}
