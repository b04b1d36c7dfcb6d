using System.Text.Json.Nodes;

namespace Defender.Simulator.Records;

/// <summary>
/// One record version the generator produced: the key the product stores it by and when the API started (or will
/// start) serving it.
/// </summary>
/// <param name="Id">incidentId as a string for incidents; FullId for SIEM detections.</param>
/// <param name="LastUpdateTime">lastUpdateTime (incidents) or LastProcessedTimeUtc (SIEM).</param>
/// <param name="VisibleAt">From when the API returns this version (if it is still the latest).</param>
/// <param name="Visible">Whether <paramref name="VisibleAt"/> has passed.</param>
/// <param name="Version">0 for the incident as created, then 1, 2; always 0 for SIEM detections.</param>
/// <param name="Record">The record as the API serves it, when asked for.</param>
public sealed record TruthEntry(
    string Id,
    DateTimeOffset LastUpdateTime,
    DateTimeOffset VisibleAt,
    bool Visible,
    int Version,
    JsonNode? Record);
