namespace Defender.Mssp.Sources;

/// <summary>The configuration names of the Defender APIs the product reads.</summary>
public static class DefenderSources
{
    /// <summary>Microsoft 365 Defender incidents API (<c>/api/incidents</c>), seed document 000.</summary>
    public const string Incidents = "incidents";

    /// <summary>Defender for Endpoint SIEM alerts API (<c>/api/alerts</c> on the alert exporter hosts), seed document 003.</summary>
    public const string Siem = "siem";

    public static IReadOnlyList<string> All { get; } = [Incidents, Siem];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
