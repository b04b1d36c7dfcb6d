namespace Defender.Simulator.Faults;

/// <summary>The fields a source's records are keyed and ordered by: what a spoiled page removes or breaks by default.</summary>
internal sealed record RecordFields(string Id, string Time)
{
    public static readonly RecordFields Default = new("id", "lastUpdateDateTime");

    /// <summary>The fields of the API named <paramref name="source"/> (<c>incidents</c>, <c>siem</c>, …).</summary>
    public static RecordFields For(string source) => source switch
    {
        "incidents" => new("incidentId", "lastUpdateTime"),
        "siem" => new("AlertId", "LastProcessedTimeUtc"),
        "alerts" => new("id", "lastUpdateTime"),
        _ => Default,
    };
}
