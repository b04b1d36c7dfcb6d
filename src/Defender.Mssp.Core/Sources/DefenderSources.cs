namespace Defender.Mssp.Sources;

/// <summary>The configuration names of the Defender APIs the product reads.</summary>
public static class DefenderSources
{
    /// <summary>Microsoft 365 Defender incidents API (<c>/api/incidents</c>), seed document 000.</summary>
    public const string Incidents = "incidents";

    /// <summary>Defender for Endpoint SIEM alerts API (<c>/api/alerts</c> on the alert exporter hosts), seed document 003.</summary>
    public const string Siem = "siem";

    /// <summary>Defender for Endpoint alerts API (<c>/api/alerts</c> on the Defender for Endpoint API host).</summary>
    public const string Alerts = "alerts";

    /// <summary>Microsoft Graph <c>security/alerts_v2</c>: the SIEM API's successor.</summary>
    public const string GraphAlerts = "graph-alerts";

    /// <summary>Microsoft Graph <c>security/incidents</c>.</summary>
    public const string GraphIncidents = "graph-incidents";

    /// <summary>Every source the product can read.</summary>
    public static IReadOnlyList<string> All { get; } = [Incidents, Siem, Alerts, GraphAlerts, GraphIncidents];

    /// <summary>
    /// What a tenant reads when its configuration names no sources: the two APIs of the source documents, which every
    /// Defender tenant licensed for them serves. Moving to the successors is an explicit choice per tenant.
    /// </summary>
    public static IReadOnlyList<string> Default { get; } = [Incidents, Siem];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
