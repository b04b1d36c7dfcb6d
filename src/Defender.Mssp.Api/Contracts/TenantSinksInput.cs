using System.ComponentModel;

namespace Defender.Mssp.Api.Contracts;

/// <summary>
/// A tenant's own sinks (<c>sinks</c> of <c>POST /tenants</c>, bulk JSON and <c>PATCH /tenants/{tenantId}</c>): added
/// to the default sinks or replacing them. Secrets (an HEC token, header values) are sealed at rest and never returned.
/// </summary>
public sealed class TenantSinksInput
{
    [Description("add (default): the default sinks and these, a sink named like a default one replacing it; replace: only these.")]
    public string? Mode { get; set; }

    [Description("The sinks: each either { name } of a globally configured sink, or a sink defined here (name and type).")]
    public List<TenantSinkInput?>? Sinks { get; set; }
}

/// <summary>One sink of <see cref="TenantSinksInput"/>: a reference by name, or an inline definition.</summary>
public sealed class TenantSinkInput
{
    [Description("A configured sink's name (Sinks:Definitions), or this sink's own: letters, digits, '-' and '_'. Required.")]
    public string? Name { get; set; }

    [Description("For a sink defined here: jsonLines, csv, http, hec (Splunk HTTP Event Collector) or syslog. Leave out to refer to a configured sink.")]
    public string? Type { get; set; }

    [Description("jsonLines, csv: the folder, a relative path (no '..') under the silos' root for tenants' file sinks.")]
    public string? Folder { get; set; }

    [Description("http, hec: the absolute https URL (http only for loopback) batches are posted to.")]
    public string? Url { get; set; }

    [Description("http, hec: extra request headers. Values are sealed at rest and shown as ***.")]
    public Dictionary<string, string?>? Headers { get; set; }

    [Description("hec: the HEC token. Required for hec; sealed at rest and never returned.")]
    public string? Token { get; set; }

    [Description("hec: the Splunk index; default the token's.")]
    public string? Index { get; set; }

    [Description("hec: the sourcetype, {source} standing for the record's source; default ms:defender:{source}.")]
    public string? SourceType { get; set; }

    [Description("http, hec: gzip request bodies.")]
    public bool? Gzip { get; set; }

    [Description("syslog: the collector's host name or address.")]
    public string? Host { get; set; }

    [Description("syslog: the collector's port, 1-65535; default 514 (tcp) or 6514 (tls).")]
    public int? Port { get; set; }

    [Description("syslog: the message body, cef (default) or json.")]
    public string? Format { get; set; }

    [Description("syslog: TLS (RFC 5425) rather than plain TCP.")]
    public bool? Tls { get; set; }
}
