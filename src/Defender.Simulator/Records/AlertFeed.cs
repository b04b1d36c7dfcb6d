namespace Defender.Simulator.Records;

/// <summary>Which alerts API a list of alerts is for; each serves a different subset of a tenant's alerts.</summary>
internal enum AlertFeed
{
    /// <summary>
    /// The Defender for Endpoint alerts API (<c>/api/alerts</c>): only alerts Defender for Endpoint raised, that is the
    /// detections the SIEM API exports and the on-device alerts of incidents.
    /// </summary>
    Endpoint,

    /// <summary>Microsoft Graph <c>security/alerts_v2</c>: every alert of every Defender product.</summary>
    Graph,
}
