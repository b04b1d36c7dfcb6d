using Defender.Mssp.Api.Validation;
using Defender.Mssp.Runtime.DataProtection;
using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Api.Tenants;

/// <summary>
/// Every change the API makes to tenant documents: creates with the secret sealed, and read-modify-write updates on the
/// stored ETag. Without If-Match an update that loses a race is re-applied to the newer version (a few times); with
/// If-Match the caller's version must still be current, or the update fails with <see cref="PreconditionFailedException"/>.
/// </summary>
public sealed class TenantWriter(TenantDocumentStore store, TenantSecretProtector protector, TimeProvider time, ILogger<TenantWriter> logger)
{
    /// <summary>How often an update without If-Match is re-applied after losing a race before giving up (409).</summary>
    public const int MaxAttempts = 5;

    /// <summary>The document for a new tenant, version 1, its secret or certificate sealed.</summary>
    public TenantDocument NewDocument(ValidTenant tenant, string actor)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var now = time.GetUtcNow();
        return new TenantDocument
        {
            TenantId = tenant.TenantId,
            DisplayName = tenant.DisplayName,
            ClientId = tenant.ClientId,
            Credential = Seal(tenant.TenantId, tenant.ClientSecret, tenant.ClientCertificate, now),
            Cloud = tenant.Cloud,
            SiemRegion = tenant.SiemRegion,
            XdrRegion = tenant.XdrRegion,
            Sources = tenant.Sources,
            PollInterval = tenant.PollInterval,
            InitialLookback = tenant.InitialLookback,
            MachineGroups = tenant.MachineGroups,
            Paused = tenant.Paused,
            Sinks = SealSinks(tenant.TenantId, tenant.Sinks),
            Version = 1,
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = actor,
        };
    }

    /// <exception cref="TenantAlreadyExistsException">The tenant exists.</exception>
    public async Task<StoredTenant> CreateAsync(ValidTenant tenant, string actor, CancellationToken cancellationToken)
    {
        var stored = await store.CreateAsync(NewDocument(tenant, actor), cancellationToken).ConfigureAwait(false);
        ApiLog.TenantCreated(logger, stored.Document.TenantId, actor);
        return stored;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the current document and stores the result as the next version. When the
    /// change returns the document it was given, nothing is written.
    /// </summary>
    /// <exception cref="TenantNotFoundException">No such tenant.</exception>
    /// <exception cref="PreconditionFailedException">The tenant is not at a version <paramref name="ifMatch"/> names.</exception>
    /// <exception cref="TenantConcurrencyException">Other writers kept winning (only without If-Match).</exception>
    public async Task<StoredTenant> UpdateAsync(
        string tenantId, IfMatch? ifMatch, string action, Func<TenantDocument, TenantDocument> change, string actor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(tenantId, cancellationToken).ConfigureAwait(false)
                ?? throw new TenantNotFoundException(tenantId);
            if (ifMatch is not null && !ifMatch.Matches(stored.ETag))
            {
                throw new PreconditionFailedException(tenantId);
            }

            var changed = change(stored.Document);
            if (ReferenceEquals(changed, stored.Document))
            {
                return stored;
            }

            changed = changed with { Version = stored.Document.Version + 1, UpdatedAt = time.GetUtcNow(), UpdatedBy = actor };
            try
            {
                var written = await store.ReplaceAsync(changed, stored.ETag, cancellationToken).ConfigureAwait(false);
                ApiLog.TenantUpdated(logger, tenantId, action, written.Document.Version, actor);
                return written;
            }
            catch (TenantConcurrencyException) when (ifMatch is { Any: false })
            {
                // The caller's version was current when read, and is not any more.
                throw new PreconditionFailedException(tenantId);
            }
            catch (TenantConcurrencyException) when (attempt < MaxAttempts)
            {
                // Lost a race with another writer: apply the change again to what it wrote.
            }
        }
    }

    /// <summary>The credential holding <paramref name="secret"/> sealed for <paramref name="tenantId"/>.</summary>
    public SealedCredential Seal(string tenantId, Defender.Mssp.Tenants.Secret secret, DateTimeOffset now) =>
        new() { Kind = CredentialKind.ClientSecret, Sealed = protector.Seal(tenantId, secret), UpdatedAt = now };

    /// <summary>
    /// The credential holding <paramref name="certificate"/> (material and password) sealed for
    /// <paramref name="tenantId"/>, with its public facts beside it for responses and status.
    /// </summary>
    public SealedCredential Seal(string tenantId, Defender.Mssp.Tenants.TenantCertificate certificate, DateTimeOffset now) => new()
    {
        Kind = CredentialKind.ClientCertificate,
        Sealed = protector.SealCertificate(tenantId, certificate),
        UpdatedAt = now,
        Thumbprint = certificate.Thumbprint,
        Subject = certificate.Subject,
        NotBefore = certificate.NotBefore,
        NotAfter = certificate.NotAfter,
    };

    /// <summary>Whichever of the two a validated request carries (the certificate when, against validation, both are).</summary>
    public SealedCredential Seal(
        string tenantId, Defender.Mssp.Tenants.Secret? secret, Defender.Mssp.Tenants.TenantCertificate? certificate, DateTimeOffset now) =>
        certificate is not null ? Seal(tenantId, certificate, now)
        : secret is not null ? Seal(tenantId, secret, now)
        : throw new ArgumentException("A credential needs a secret or a certificate.", nameof(secret));

    /// <summary>The stored form of a tenant's own sinks, their secrets sealed for <paramref name="tenantId"/>; null for the defaults.</summary>
    public StoredSinks? SealSinks(string tenantId, Defender.Mssp.Tenants.TenantSinks? sinks) => sinks?.Seal(tenantId, protector);

    public DateTimeOffset Now => time.GetUtcNow();
}
