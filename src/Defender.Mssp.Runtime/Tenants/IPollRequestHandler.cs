namespace Defender.Mssp.Runtime.Tenants;

/// <summary>
/// Told by <see cref="BlobTenantCatalog"/> when an operator asked for a tenant to be polled now. Every silo's catalogue
/// sees every request; the handler acts only for tenants whose grain runs in its silo.
/// </summary>
public interface IPollRequestHandler
{
    /// <summary>Called during a catalogue read, once per new request; must return quickly and never throw.</summary>
    void OnPollRequested(string tenantId, PollRequest request);
}
