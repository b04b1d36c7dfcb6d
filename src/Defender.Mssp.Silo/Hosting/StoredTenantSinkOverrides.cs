using System.Runtime.CompilerServices;
using Defender.Mssp.Sinks;
using Defender.Mssp.Sinks.Csv;
using Defender.Mssp.Sinks.Http;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.Tenants;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Silo.Hosting;

/// <summary>
/// Tenants' sinks as the management API stores them with their settings (<see cref="TenantSettings.Sinks"/>, secrets
/// unsealed by the catalogue), falling back to configuration (<c>Sinks:Tenants:{tenantId}</c>) for a tenant whose
/// settings have none: the API's word wins. Named sinks are looked up in <c>Sinks:Definitions</c>; a tenant's own file
/// sinks write under <see cref="TenantSinkFolderOptions.FolderRoot"/>.
/// </summary>
/// <remarks>
/// A sink that cannot be built here (a name this silo's configuration does not define, a folder leaving the root) is
/// left out and logged; a tenant left with no sinks at all then fails its deliveries and keeps its checkpoint, rather
/// than its records going anywhere they were not sent. Built sets are cached per settings object and configuration
/// version, so each batch costs a dictionary lookup.
/// </remarks>
internal sealed partial class StoredTenantSinkOverrides(
    TenantSinkDirectory directory,
    IOptionsMonitor<RecordSinksOptions> options,
    IOptions<TenantSinkFolderOptions> folders,
    ILogger<StoredTenantSinkOverrides> logger) : ITenantSinkOverrides
{
    private readonly ConfigurationTenantSinkOverrides _configured = new(options);
    private readonly ConditionalWeakTable<TenantSinks, Built> _built = [];
    private readonly string _root = Path.GetFullPath(folders.Value.FolderRoot);

    public ValueTask<TenantSinkOverride?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (directory.Get(tenantId) is not { } sinks)
        {
            return _configured.GetAsync(tenantId, cancellationToken);
        }

        var current = options.CurrentValue;
        if (!_built.TryGetValue(sinks, out var built) || !ReferenceEquals(built.Options, current))
        {
            built = new Built(current, Build(tenantId, sinks, current));
            _built.AddOrUpdate(sinks, built);
        }

        return ValueTask.FromResult<TenantSinkOverride?>(built.Override);
    }

    private TenantSinkOverride Build(string tenantId, TenantSinks sinks, RecordSinksOptions current)
    {
        var definitions = new List<SinkDefinition>(sinks.Sinks.Count);
        foreach (var sink in sinks.Sinks)
        {
            if (Definition(sink, current) is { } definition)
            {
                definitions.Add(definition);
            }
            else
            {
                LogSinkSkipped(logger, tenantId, sink.Name, sink.Kind);
            }
        }

        return new TenantSinkOverride(sinks.Mode == TenantSinkMode.Replace ? SinkOverrideMode.Replace : SinkOverrideMode.Add, definitions);
    }

    /// <summary>The library's definition of <paramref name="sink"/>, or null when it cannot be built here.</summary>
    internal SinkDefinition? Definition(TenantSink sink, RecordSinksOptions current) => sink.Kind switch
    {
        TenantSinkKind.Named => current.Definitions.GetValueOrDefault(sink.Name),
        TenantSinkKind.JsonLines => Folder(sink.Folder) is { } path ? SinkDefinition.JsonLines(sink.Name, JsonLines(path, current)) : null,
        TenantSinkKind.Csv => Folder(sink.Folder) is { } path ? SinkDefinition.Csv(sink.Name, new CsvSinkOptions { Path = path }) : null,
        TenantSinkKind.Http or TenantSinkKind.SplunkHec => Valid(SinkDefinition.Http(sink.Name, Http(sink))),
        TenantSinkKind.Syslog => Valid(SinkDefinition.Syslog(sink.Name, new SyslogSinkOptions
        {
            Host = sink.Host,
            Port = sink.Port,
            Transport = sink.Tls ? SyslogTransport.Tls : SyslogTransport.Tcp,
            Format = string.Equals(sink.Format, "json", StringComparison.OrdinalIgnoreCase) ? SyslogFormat.Json : SyslogFormat.Cef,
        })),
        _ => null,
    };

    private static HttpSinkOptions Http(TenantSink sink)
    {
        var http = new HttpSinkOptions
        {
            Url = sink.Url,
            Flavour = sink.Kind == TenantSinkKind.SplunkHec ? HttpSinkFlavour.SplunkHec : HttpSinkFlavour.Envelopes,
            SecretHeaders = new Dictionary<string, Secret>(sink.Headers, StringComparer.OrdinalIgnoreCase),
            Token = sink.Token,
            Index = sink.Index,
            Gzip = sink.Gzip,
        };
        if (sink.SourceType is { Length: > 0 } sourceType)
        {
            http.SourceType = sourceType;
        }

        return http;
    }

    /// <summary>A tenant's JSON Lines sink rotates as the built-in one is configured to.</summary>
    private static JsonLinesSinkOptions JsonLines(string path, RecordSinksOptions current) =>
        current.Definitions.GetValueOrDefault(RecordSinksOptions.BuiltInJsonLines)?.Options is JsonLinesSinkOptions builtIn
            ? new JsonLinesSinkOptions { Path = path, MaxFileSizeBytes = builtIn.MaxFileSizeBytes, RollDaily = builtIn.RollDaily }
            : new JsonLinesSinkOptions { Path = path };

    /// <summary>The folder under the root, or null when it is missing or would leave the root (the API refuses both).</summary>
    private string? Folder(string? folder)
    {
        if (string.IsNullOrEmpty(folder) || Path.IsPathRooted(folder))
        {
            return null;
        }

        var path = Path.GetFullPath(Path.Combine(_root, folder));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? path : null;
    }

    private static SinkDefinition? Valid(SinkDefinition definition) => definition.Validate().Any() ? null : definition;

    private sealed record Built(RecordSinksOptions Options, TenantSinkOverride Override);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tenant {TenantId}: its sink {Sink} ({Kind}) cannot be built on this silo and is left out")]
    private static partial void LogSinkSkipped(ILogger logger, string tenantId, string sink, TenantSinkKind kind);
}
