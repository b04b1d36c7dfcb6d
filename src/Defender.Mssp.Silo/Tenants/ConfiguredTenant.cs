using System.ComponentModel.DataAnnotations;
using Defender.Mssp.Sources;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Silo.Tenants;

/// <summary>
/// A tenant as written in configuration (<c>Tenants:N:…</c>), polled besides those onboarded through the management
/// API (a tenant in both is taken from storage). The credential is <c>ClientSecret</c> or a certificate file
/// (<c>ClientCertificatePath</c>, a <c>.pfx</c>/<c>.p12</c> or PEM with its private key, and
/// <c>ClientCertificatePassword</c>); with both, the certificate is used.
/// </summary>
public sealed class ConfiguredTenant : IValidatableObject
{
    private readonly Lock _certificateGate = new();
    private (string Path, string? Password, TenantCertificate? Certificate, string? Problem)? _loaded;

    [Required]
    public string TenantId { get; set; } = "";

    public string? DisplayName { get; set; }

    [Required]
    public string ClientId { get; set; } = "";

    /// <summary>Read from configuration (user secrets, environment, a vault provider) — never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PKCS#12 (<c>.pfx</c>/<c>.p12</c>) or PEM file with the client certificate and its private key.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PKCS#12 file's or encrypted PEM key's password — never logged.</summary>
    public string? ClientCertificatePassword { get; set; }

    public DefenderCloud Cloud { get; set; } = DefenderCloud.Commercial;

    public string SiemRegion { get; set; } = TenantSettings.DefaultSiemRegion;

    /// <summary>The XDR API's regional host (<c>us</c>, <c>eu</c>, <c>uk</c>, <c>au</c>); the global host when absent.</summary>
    public string? XdrRegion { get; set; }

    public List<string> Sources { get; set; } = [];

    public TimeSpan? PollInterval { get; set; }

    public TimeSpan? InitialLookback { get; set; }

    public List<string> MachineGroups { get; set; } = [];

    public bool Paused { get; set; }

    public TenantSettings ToSettings() => new()
    {
        TenantId = TenantId,
        DisplayName = DisplayName ?? TenantId,
        ClientId = ClientId,
        ClientSecret = string.IsNullOrEmpty(ClientSecret) ? null : new Secret(ClientSecret),
        ClientCertificate = LoadCertificate().Certificate,
        Cloud = Cloud,
        SiemRegion = SiemRegion,
        XdrRegion = string.IsNullOrWhiteSpace(XdrRegion) ? null : XdrRegion.Trim(),
        Sources = Sources.Count > 0 ? [.. Sources] : DefenderSources.Default,
        PollInterval = PollInterval ?? TenantSettings.DefaultPollInterval,
        InitialLookback = InitialLookback ?? TenantSettings.DefaultInitialLookback,
        MachineGroups = [.. MachineGroups],
        Paused = Paused,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Guid.TryParse(TenantId, out _))
        {
            yield return new ValidationResult($"Tenant id '{TenantId}' is not a GUID.", [nameof(TenantId)]);
        }

        if (!Guid.TryParse(ClientId, out _))
        {
            yield return new ValidationResult($"Client id of tenant '{TenantId}' is not a GUID.", [nameof(ClientId)]);
        }

        foreach (var source in Sources.Where(s => !DefenderSources.IsKnown(s)))
        {
            yield return new ValidationResult($"Tenant '{TenantId}' names unknown source '{source}'.", [nameof(Sources)]);
        }

        if (LoadCertificate().Problem is { } problem)
        {
            yield return new ValidationResult(
                $"Client certificate of tenant '{TenantId}' ({nameof(ClientCertificatePath)}) cannot be used: {problem}", [nameof(ClientCertificatePath)]);
        }
    }

    /// <summary>
    /// The certificate file, loaded once per path and password (a balancing round asks for the settings every few
    /// seconds); a file that fails to load fails validation at start, naming the tenant and what is wrong, never the
    /// password.
    /// </summary>
    private (TenantCertificate? Certificate, string? Problem) LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(ClientCertificatePath))
        {
            return (null, null);
        }

        lock (_certificateGate)
        {
            if (_loaded is { } loaded && loaded.Path == ClientCertificatePath && loaded.Password == ClientCertificatePassword)
            {
                return (loaded.Certificate, loaded.Problem);
            }

            TenantCertificate? certificate = null;
            string? problem = null;
            try
            {
                certificate = TenantCertificate.FromFile(ClientCertificatePath, ClientCertificatePassword);
            }
            catch (InvalidTenantCertificateException e)
            {
                problem = e.Message;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"the file cannot be read ({e.GetType().Name}).";
            }

            _loaded = (ClientCertificatePath, ClientCertificatePassword, certificate, problem);
            return (certificate, problem);
        }
    }
}
