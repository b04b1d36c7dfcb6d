using System.ComponentModel.DataAnnotations;

namespace Defender.Mssp.Defender.Configuration;

/// <summary>
/// How the successor sources query their APIs — Defender for Endpoint alerts (<c>alerts</c>), Graph alerts_v2
/// (<c>graph-alerts</c>) and Graph incidents (<c>graph-incidents</c>) — bound from section <c>Defender</c> (e.g.
/// <c>Defender:GraphAlertsPageSize</c>) beside <see cref="DefenderClientOptions"/>, whose
/// <see cref="DefenderClientOptions.MaxPagesPerRead"/> bounds these reads too.
/// </summary>
public sealed class SuccessorSourceOptions
{
    public const string SectionName = DefenderClientOptions.SectionName;

    /// <summary>The Defender for Endpoint alerts API's <c>$top</c> maximum.</summary>
    public const int MaxAlertsPageSize = 10_000;

    /// <summary>Graph alerts_v2's <c>$top</c> maximum; a larger one is a 400.</summary>
    public const int MaxGraphAlertsPageSize = 1_000;

    /// <summary>Graph incidents' <c>$top</c> maximum; a larger one is a 400.</summary>
    public const int MaxGraphIncidentsPageSize = 50;

    public const bool DefaultAlertsExpandEvidence = true;

    public const bool DefaultGraphIncidentsExpandAlerts = false;

    /// <summary>The alerts API's <c>$top</c>; a shorter page ends the read (pages go on by <c>$skip</c>).</summary>
    [Range(1, MaxAlertsPageSize)]
    public int AlertsPageSize { get; set; } = MaxAlertsPageSize;

    /// <summary>
    /// Ask the alerts API for each alert's evidence (<c>$expand=evidence</c>). A SIEM wants it; on very large tenants
    /// a big expansion can fail persistently, and turning it off (or a smaller <see cref="AlertsPageSize"/>) helps.
    /// </summary>
    public bool AlertsExpandEvidence { get; set; } = DefaultAlertsExpandEvidence;

    /// <summary>Graph alerts_v2's <c>$top</c>; further pages come from <c>@odata.nextLink</c>.</summary>
    [Range(1, MaxGraphAlertsPageSize)]
    public int GraphAlertsPageSize { get; set; } = MaxGraphAlertsPageSize;

    /// <summary>Graph incidents' <c>$top</c>; further pages come from <c>@odata.nextLink</c>.</summary>
    [Range(1, MaxGraphIncidentsPageSize)]
    public int GraphIncidentsPageSize { get; set; } = MaxGraphIncidentsPageSize;

    /// <summary>Ask Graph for each incident's alerts (<c>$expand=alerts</c>), delivered inside the incident record.</summary>
    public bool GraphIncidentsExpandAlerts { get; set; } = DefaultGraphIncidentsExpandAlerts;
}
