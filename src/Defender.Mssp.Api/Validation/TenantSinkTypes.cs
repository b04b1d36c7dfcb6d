using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Validation;

/// <summary>The sink types as the API names them (<c>type</c> of a tenant's sink) and which fields each takes.</summary>
public static class TenantSinkTypes
{
    public const int MaxSinks = 10;
    public const int MaxHeaders = 20;
    public const int MaxFolderLength = 200;
    public const int MaxUrlLength = 2_048;
    public const int MaxHeaderValueLength = 4_096;
    public const int MaxTokenLength = 1_024;
    public const int MaxSourceTypeLength = 128;
    public const int MaxHostLength = 253;

    /// <summary>API name to kind; <c>splunkHec</c> is accepted for <c>hec</c>.</summary>
    public static IReadOnlyDictionary<string, TenantSinkKind> ByName { get; } = new Dictionary<string, TenantSinkKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["jsonLines"] = TenantSinkKind.JsonLines,
        ["csv"] = TenantSinkKind.Csv,
        ["http"] = TenantSinkKind.Http,
        ["hec"] = TenantSinkKind.SplunkHec,
        ["splunkHec"] = TenantSinkKind.SplunkHec,
        ["syslog"] = TenantSinkKind.Syslog,
    };

    public static IReadOnlyList<string> Names { get; } = ["jsonLines", "csv", "http", "hec", "syslog"];

    public static IReadOnlyList<string> SyslogFormats { get; } = ["cef", "json"];

    /// <summary>Headers the HTTP sink sets itself, or that the transport owns.</summary>
    public static IReadOnlySet<string> ReservedHeaders { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Content-Encoding", "Transfer-Encoding", "Connection", "Idempotency-Key",
    };

    public static string NameOf(TenantSinkKind kind) => kind switch
    {
        TenantSinkKind.JsonLines => "jsonLines",
        TenantSinkKind.Csv => "csv",
        TenantSinkKind.Http => "http",
        TenantSinkKind.SplunkHec => "hec",
        TenantSinkKind.Syslog => "syslog",
        _ => "named",
    };

    /// <summary>The fields (JSON names, beyond name and type) a sink of <paramref name="kind"/> takes.</summary>
    public static IReadOnlySet<string> FieldsOf(TenantSinkKind kind) => kind switch
    {
        TenantSinkKind.JsonLines or TenantSinkKind.Csv => new HashSet<string> { "folder" },
        TenantSinkKind.Http => new HashSet<string> { "url", "headers", "gzip" },
        TenantSinkKind.SplunkHec => new HashSet<string> { "url", "headers", "gzip", "token", "index", "sourceType" },
        TenantSinkKind.Syslog => new HashSet<string> { "host", "port", "format", "tls" },
        _ => new HashSet<string>(),
    };
}
