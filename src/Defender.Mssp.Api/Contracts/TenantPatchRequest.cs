using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// Changes a tenant's settings (<c>PATCH /tenants/{tenantId}</c>): each field given replaces the stored one, each left
/// out (or null) stays. Identity and credentials change elsewhere (<c>PUT …/credentials</c>), pausing through
/// <c>…/pause</c> and <c>…/resume</c>.
/// </summary>
public sealed class TenantPatchRequest
{
    [Description("A name for people, at most 256 characters.")]
    public string? DisplayName { get; set; }

    [Description("Commercial, Gcc, GccHigh or DoD.")]
    public string? Cloud { get; set; }

    [Description("SIEM API region: eu, us or uk.")]
    public string? SiemRegion { get; set; }

    [Description("The XDR (incidents) API's regional host: us, eu, uk or au; \"\" goes back to the global host.")]
    public string? XdrRegion { get; set; }

    [Description("Which APIs to read: incidents, siem, alerts, graph-alerts, graph-incidents.")]
    public List<string>? Sources { get; set; }

    [Description("How often to poll, [d.]hh:mm:ss or ISO 8601.")]
    public TimeSpan? PollInterval { get; set; }

    [Description("How far back the first poll of a new source looks.")]
    public TimeSpan? InitialLookback { get; set; }

    [Description("SIEM API machine group filter; [] means all.")]
    public List<string>? MachineGroups { get; set; }

    [Description("The tenant's own sinks, replacing those stored (secrets must be given again); null goes back to the defaults.")]
    public TenantSinksInput? Sinks
    {
        get => _sinks;
        set
        {
            _sinks = value;
            SinksGiven = true;
        }
    }

    /// <summary>Whether the body had <c>sinks</c> at all: <c>"sinks": null</c> clears them, leaving it out keeps them.</summary>
    [JsonIgnore]
    public bool SinksGiven { get; private set; }

    private TenantSinksInput? _sinks;
}
