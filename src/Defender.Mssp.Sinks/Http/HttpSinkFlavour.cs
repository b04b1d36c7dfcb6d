namespace Defender.Mssp.Sinks.Http;

/// <summary>What an HTTP sink's requests look like.</summary>
public enum HttpSinkFlavour
{
    /// <summary>A JSON array of <c>RecordEnvelope</c>s per request, each carrying its idempotency key.</summary>
    Envelopes,

    /// <summary>
    /// Splunk HTTP Event Collector: <c>Authorization: Splunk &lt;token&gt;</c>, one event object per record
    /// (<c>time</c>, <c>host</c>, <c>source</c>, <c>sourcetype</c>, <c>index</c>, <c>event</c>, <c>fields</c>),
    /// concatenated in the body as HEC batches are.
    /// </summary>
    SplunkHec,
}
