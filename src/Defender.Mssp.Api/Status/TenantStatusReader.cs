using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Api.Options;
using Defender.Mssp.Grains.State;
using Defender.Mssp.Runtime.Cluster;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Tenants;
using Defender.Mssp.Storage;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Api.Status;

/// <summary>
/// A tenant's status: its grain state (<c>state/{tenantId}.json</c>, written by the owning silo) joined with its
/// document, the state blob's lease and the membership table. A certificate credential's expiry comes from the
/// document's public facts, so it shows even before the first poll.
/// </summary>
public sealed class TenantStatusReader(
    TenantDocumentStore store,
    IGrainStorage grainStorage,
    StateBlobs stateBlobs,
    MembershipTable membership,
    TenantSecretProtector protector,
    TimeProvider time,
    IOptions<CertificateStatusOptions>? certificateOptions = null)
{
    private readonly TimeSpan _expiryWarning =
        certificateOptions?.Value.CertificateExpiryWarning ?? CertificateStatusOptions.DefaultCertificateExpiryWarning;

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
            sources,
            Certificate(document.Credential, now));
    }

    private CertificateStatus? Certificate(SealedCredential? credential, DateTimeOffset now)
    {
        if (credential is not { Kind: CredentialKind.ClientCertificate, Thumbprint: { } thumbprint, NotAfter: { } notAfter })
        {
            return null;
        }

        var expiresIn = notAfter - now;
        return new CertificateStatus(thumbprint, notAfter, expiresIn, ExpiresSoon: expiresIn <= _expiryWarning, Expired: expiresIn <= TimeSpan.Zero);
    }

    /// <summary>
    /// Removes the tenant's own secret (or certificate material and password) from error text. Errors are recorded from
    /// exceptions that never carry one, so this is a second line of defence for the operator's screen, not the first.
    /// </summary>
    private Func<string, string> SecretScrubber(TenantDocument document)
    {
        var values = new List<string>();
        try
        {
            switch (document.Credential)
            {
                case { Kind: CredentialKind.ClientSecret } secret:
                    values.Add(protector.Unseal(document.TenantId, secret.Sealed).Reveal());
                    break;
                case { Kind: CredentialKind.ClientCertificate } certificate:
                    var unsealed = protector.UnsealCertificate(document.TenantId, certificate.Sealed);
                    values.Add(unsealed.Material.Reveal());
                    if (unsealed.Password is { } password)
                    {
                        values.Add(password.Reveal());
                    }

                    break;
            }
        }
        catch (Exception e) when (e is SecretUnsealException or InvalidTenantCertificateException)
        {
            // Nothing to scrub with; the status is still worth showing.
        }

        values.RemoveAll(value => value.Length == 0);
        return text => values.Aggregate(text, (scrubbed, value) =>
            scrubbed.Contains(value, StringComparison.Ordinal) ? scrubbed.Replace(value, Secret.Redacted, StringComparison.Ordinal) : scrubbed);
    }

    private static ErrorSummary? Summary(TenantError? error, Func<string, string> scrub) =>
        error is null ? null : new ErrorSummary(error.Code, scrub(error.Message), error.Source, error.At);
}
