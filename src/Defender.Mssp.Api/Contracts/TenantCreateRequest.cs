using System.ComponentModel;

namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// Onboards one tenant (<c>POST /tenants</c>, one element of <c>POST /tenants/bulk</c>). Every field is nullable so that
/// a missing one is reported by name rather than as a parse error; the validator says which are required.
/// </summary>
public sealed class TenantCreateRequest
{
    [Description("The customer's Entra ID tenant id (GUID). Required.")]
    public string? TenantId { get; set; }

    [Description("A name for people, at most 256 characters; defaults to the tenant id.")]
    public string? DisplayName { get; set; }

    [Description("The application (client) id (GUID) registered for reading Defender. Required.")]
    public string? ClientId { get; set; }

    [Description("The application's client secret: required unless credential is given. Sealed at rest and never returned.")]
    public string? ClientSecret { get; set; }

    [Description("A certificate credential instead of clientSecret (give one of the two).")]
    public CredentialInput? Credential { get; set; }

    [Description("Commercial (default), Gcc, GccHigh or DoD.")]
    public string? Cloud { get; set; }

    [Description("SIEM API region: eu, us (default) or uk.")]
    public string? SiemRegion { get; set; }

    [Description("The XDR (incidents) API's regional host: us, eu, uk or au (commercial cloud); default the global host.")]
    public string? XdrRegion { get; set; }

    [Description("Which APIs to read: incidents, siem, alerts, graph-alerts, graph-incidents (default incidents and siem).")]
    public List<string>? Sources { get; set; }

    [Description("How often to poll, [d.]hh:mm:ss or ISO 8601; default 00:01:00.")]
    public TimeSpan? PollInterval { get; set; }

    [Description("How far back the first poll of a source looks; default 1.00:00:00.")]
    public TimeSpan? InitialLookback { get; set; }

    [Description("SIEM API machine group filter; empty means all.")]
    public List<string>? MachineGroups { get; set; }

    [Description("Onboard without polling yet.")]
    public bool? Paused { get; set; }

    [Description("The tenant's own sinks, added to or replacing the default ones; leave out for the defaults.")]
    public TenantSinksInput? Sinks { get; set; }
}
