using Azure;
using Defender.Mssp.Runtime.Storage.Blobs;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Runtime.Cluster;

public sealed partial class ClusterMember
{
    /// <summary>
    /// One balancing round: read the catalogue, the live silos and the state blobs' lease states; remove stale
    /// heartbeats; stop tenants gone from the catalogue; forward changed settings; hand over the surplus; claim up to
    /// the fair share. Rounds never overlap.
    /// </summary>
    internal async Task<BalancingRound> RunBalancingRoundAsync(CancellationToken cancellationToken)
    {
        await _roundGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stopped) == 1)
            {
                // Leaving (or gone): claiming now would only hand the tenants straight back.
                return new BalancingRound(0, 0, 0, 0, 0, 0, OwnedCount);
            }

            var catalogue = await _catalog.ListAsync(cancellationToken).ConfigureAwait(false);
            var silos = await Membership.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var liveSilos = silos.Where(silo => silo.IsLive).Select(silo => silo.Heartbeat.SiloId)
                .Append(SiloId).Distinct(StringComparer.Ordinal).Count();
            await Membership.RemoveStaleAsync(silos, cancellationToken).ConfigureAwait(false);
            var leased = await ListLeasedTenantsAsync(cancellationToken).ConfigureAwait(false);

            var active = _owned.Values.Where(owned => owned.IsActive).ToDictionary(owned => owned.TenantId, StringComparer.Ordinal);
            var busy = _owned.Keys.Where(id => !active.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
            var plan = BalancePlanner.Plan(
                catalogue, active.ToDictionary(pair => pair.Key, pair => pair.Value.Settings, StringComparer.Ordinal),
                busy, leased, liveSilos, _random);

            foreach (var settings in plan.Updates)
            {
                var owned = active[settings.TenantId];
                ClusterLog.SettingsUpdated(_logger, settings.TenantId);
                owned.Activation!.UpdateSettings(settings);
                owned.Settings = settings;
            }

            var handedOver = plan.Remove.Concat(plan.Release).Select(id => active[id]).ToList();
            foreach (var owned in handedOver)
            {
                owned.RequestStop();
            }

            await Task.WhenAll(handedOver.Select(owned => owned.Supervision)).ConfigureAwait(false);
            var claimed = await ClaimAsync(plan, cancellationToken).ConfigureAwait(false);

            var round = new BalancingRound(liveSilos, catalogue.Count, plan.FairShare, claimed, plan.Release.Count, plan.Remove.Count, OwnedCount);
            if (round.Claimed + round.Released + round.Removed > 0)
            {
                ClusterLog.Balanced(_logger, round.LiveSilos, round.Tenants, round.FairShare, round.Claimed, round.Released, round.Removed, round.Owned);
            }

            return round;
        }
        finally
        {
            _roundGate.Release();
        }
    }

    /// <summary>
    /// Claims candidates in their random order, with at most <see cref="ClusterOptions.MaxConcurrentLeaseOperations"/>
    /// attempts in flight and never more in flight than are still wanted, so concurrent acquires cannot take more than
    /// the share; a refused acquire (another silo was faster) just makes room for the next candidate.
    /// </summary>
    private async Task<int> ClaimAsync(BalancePlan plan, CancellationToken cancellationToken)
    {
        var claimed = 0;
        var next = 0;
        var inFlight = new List<Task<bool>>();
        try
        {
            while (true)
            {
                while (!cancellationToken.IsCancellationRequested
                       && next < plan.ClaimCandidates.Count
                       && inFlight.Count < _options.MaxConcurrentLeaseOperations
                       && claimed + inFlight.Count < plan.ClaimCount)
                {
                    inFlight.Add(TryClaimAsync(plan.ClaimCandidates[next++], cancellationToken));
                }

                if (inFlight.Count == 0)
                {
                    return claimed;
                }

                var done = await Task.WhenAny(inFlight).ConfigureAwait(false);
                inFlight.Remove(done);
                if (await done.ConfigureAwait(false))
                {
                    claimed++;
                }
            }
        }
        finally
        {
            // Leave no claim running behind the round: a shutdown hands over only what it can see.
            await Task.WhenAll(inFlight).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryClaimAsync(TenantSettings settings, CancellationToken cancellationToken)
    {
        var tenantId = settings.TenantId;
        TenantLease? lease;
        try
        {
            lease = await TenantLease.TryAcquireAsync(
                _container.GetBlobClient(StateBlobName(tenantId)), tenantId, _options, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            ClusterLog.ClaimFailed(_logger, e, tenantId);
            return false;
        }

        if (lease is null)
        {
            return false;
        }

        _metrics?.LeaseAcquired(SiloId);
        // Registered before activating, so the renewal loop keeps the lease while the grain reads its state.
        var owned = new OwnedTenant(settings, lease)
        {
            RenewalDueAt = RenewalPlanner.After(
                lease.RenewedAt, RenewalPlanner.FirstRenewalDelay(tenantId, _options.LeaseRenewalPeriod), _time),
        };
        _owned[tenantId] = owned;
        try
        {
            owned.Activation = await _activator.ActivateAsync(settings, lease, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                ClusterLog.ActivationFailed(_logger, e, tenantId);
            }

            _owned.TryRemove(KeyValuePair.Create(tenantId, owned));
            await ReleaseQuietlyAsync(lease).ConfigureAwait(false);
            CountEnd(lease);
            return false;
        }

        _metrics?.GrainActivated(SiloId);

        owned.Supervision = SuperviseAsync(owned);
        ClusterLog.Claimed(_logger, tenantId, lease.BlobName);
        return true;
    }

    /// <summary>The tenants whose state blob is leased by anyone (or being broken), from one listing.</summary>
    private async Task<HashSet<string>> ListLeasedTenantsAsync(CancellationToken cancellationToken)
    {
        var leased = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in _container.GetBlobsAsync(prefix: _statePrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (blob.Properties.LeaseStatus == LeaseStatus.Locked
                && blob.Name.EndsWith(".json", StringComparison.Ordinal)
                && blob.Name.Length > _statePrefix.Length + ".json".Length)
            {
                leased.Add(blob.Name[_statePrefix.Length..^".json".Length]);
            }
        }

        return leased;
    }
}
