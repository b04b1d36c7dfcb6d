using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Status;

/// <summary>
/// A tenant's status: its grain state (<c>state/{tenantId}.json</c>, written by the owning silo) joined with its
/// document, the state blob's lease and the membership table.
/// </summary>
public sealed class TenantStatusReader(
    TenantDocumentStore store,
    IGrainStorage grainStorage,
    StateBlobs stateBlobs,
    MembershipTable membership,
    TenantSecretProtector protector,
    TimeProvider time)
{
    /// <summary>The status, or null when there is no such tenant.</summary>
    public async Task<TenantStatusResponse?> ReadAsync(string tenantId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var entry = await grainStorage.ReadAsync<TenantGrainState>(tenantId, cancellationToken).ConfigureAwait(false);
        var state = entry?.State ?? new TenantGrainState();
        var leases = await stateBlobs.ListLeasesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var leased = leases.GetValueOrDefault(tenantId);
        bool? ownerLive = null;
        if (state.OwnerSiloId is { } owner)
        {
            var silos = await membership.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            ownerLive = silos.Any(silo => silo.IsLive && string.Equals(silo.Heartbeat.SiloId, owner, StringComparison.Ordinal));
        }

        var document = stored.Document;
        var scrub = SecretScrubber(document);
        var now = time.GetUtcNow();
        var sourceNames = document.Sources.Concat(state.Sources.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        var sources = sourceNames.Select(name =>
        {
            var checkpoint = state.Sources.GetValueOrDefault(name) ?? new SourceCheckpoint();
            return new SourceStatus(
                name,
                document.Sources.Contains(name, StringComparer.Ordinal),
                checkpoint.Health.ToString(),
                checkpoint.Watermark,
                checkpoint.Watermark is { } watermark ? now - watermark : null,
                checkpoint.RecordsDelivered,
                checkpoint.LastSuccessAt,
                checkpoint.ConsecutiveFailures,
                checkpoint.RetryNotBefore,
                Summary(checkpoint.LastError, scrub));
        }).ToList();

        return new TenantStatusResponse(
            document.TenantId,
            document.DisplayName,
            state.Health.ToString(),
            document.Paused,
            state.OwnerSiloId,
            ownerLive,
            leased,
            state.LastPollStartedAt,
            state.LastPollCompletedAt,
            state.LastOutcome?.ToString(),
            state.Sources.Values.Sum(checkpoint => checkpoint.RecordsDelivered),
            state.TokenExpiresOn,
            Summary(state.LastError, scrub),
            state.NextPollNotBefore,
            document.PollRequest is { } poll ? new PollRequestSummary(poll.Sequence, poll.RequestedAt) : null,
            sources);
    }

    /// <summary>
    /// Removes the tenant's own secret from error text. Errors are recorded from exceptions that never carry one, so
    /// this is a second line of defence for the operator's screen, not the first.
    /// </summary>
    private Func<string, string> SecretScrubber(TenantDocument document)
    {
        Secret? secret = null;
        if (document.Credential is { } credential)
        {
            try
            {
                secret = protector.Unseal(document.TenantId, credential.Sealed);
            }
            catch (SecretUnsealException)
            {
                // Nothing to scrub with; the status is still worth showing.
            }
        }

        var value = secret?.Reveal();
        return text => value is { Length: > 0 } && text.Contains(value, StringComparison.Ordinal)
            ? text.Replace(value, Secret.Redacted, StringComparison.Ordinal)
            : text;
    }

    private static ErrorSummary? Summary(TenantError? error, Func<string, string> scrub) =>
        error is null ? null : new ErrorSummary(error.Code, scrub(error.Message), error.Source, error.At);
}
