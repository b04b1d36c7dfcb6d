using Defender.Mssp.Sinks.Csv;
using Defender.Mssp.Sinks.Http;
using Defender.Mssp.Sinks.Syslog;
using Microsoft.Extensions.Configuration;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Binds <see cref="RecordSinksOptions"/> from the <c>Sinks</c> section:
/// <code>
/// Sinks:JsonLines:{Path,MaxFileSizeBytes,RollDaily}          the built-in "json-lines" sink
/// Sinks:Definitions:{name}:Type = JsonLines|Csv|Http|Syslog  plus that type's settings beside it
/// Sinks:Default = [names] (or "a,b")                         default: ["json-lines"]
/// Sinks:Tenants:{tenantId}:Mode = Add|Replace, :Sinks = [names]
/// Sinks:IdleSinkLifetime
/// </code>
/// </summary>
public static class RecordSinksConfiguration
{
    public static void Bind(IConfigurationSection section, RecordSinksOptions options)
    {
        SecretBinding.EnsureRegistered();
        options.Definitions[RecordSinksOptions.BuiltInJsonLines] = SinkDefinition.JsonLines(
            RecordSinksOptions.BuiltInJsonLines, section.GetSection("JsonLines").Get<JsonLinesSinkOptions>() ?? new JsonLinesSinkOptions());

        foreach (var child in section.GetSection("Definitions").GetChildren())
        {
            if (string.Equals(child.Key, RecordSinksOptions.BuiltInJsonLines, StringComparison.OrdinalIgnoreCase))
            {
                options.BindingErrors.Add($"Sinks:Definitions:{child.Key}: the name is reserved for Sinks:JsonLines.");
                continue;
            }

            if (Definition(child) is { } definition)
            {
                options.Definitions[child.Key] = definition;
            }
            else
            {
                options.BindingErrors.Add($"Sinks:Definitions:{child.Key}:Type must be one of {string.Join(", ", Enum.GetNames<SinkType>())}.");
            }
        }

        options.Default.AddRange(Names(section.GetSection("Default")) is { Count: > 0 } names ? names : [RecordSinksOptions.BuiltInJsonLines]);

        foreach (var tenant in section.GetSection("Tenants").GetChildren())
        {
            var tenantOptions = new TenantSinkOptions();
            if (tenant["Mode"] is { Length: > 0 } mode)
            {
                if (Enum.TryParse<SinkOverrideMode>(mode, ignoreCase: true, out var parsed))
                {
                    tenantOptions.Mode = parsed;
                }
                else
                {
                    options.BindingErrors.Add($"Sinks:Tenants:{tenant.Key}:Mode must be Add or Replace.");
                }
            }

            tenantOptions.Sinks.AddRange(Names(tenant.GetSection("Sinks")));
            options.Tenants[tenant.Key] = tenantOptions;
        }

        if (section["IdleSinkLifetime"] is { Length: > 0 })
        {
            options.IdleSinkLifetime = section.GetValue<TimeSpan>("IdleSinkLifetime");
        }
    }

    private static SinkDefinition? Definition(IConfigurationSection section) =>
        Enum.TryParse<SinkType>(section["Type"], ignoreCase: true, out var type)
            ? type switch
            {
                SinkType.JsonLines => SinkDefinition.JsonLines(section.Key, section.Get<JsonLinesSinkOptions>() ?? new()),
                SinkType.Csv => SinkDefinition.Csv(section.Key, section.Get<CsvSinkOptions>() ?? new()),
                SinkType.Http => SinkDefinition.Http(section.Key, section.Get<HttpSinkOptions>() ?? new()),
                _ => SinkDefinition.Syslog(section.Key, section.Get<SyslogSinkOptions>() ?? new()),
            }
            : null;

    /// <summary>A list (<c>X:0</c>, <c>X:1</c>) or one comma-separated value (handy in environment variables).</summary>
    private static List<string> Names(IConfigurationSection section) =>
        (section.Value is { Length: > 0 } value ? value.Split(',') : section.GetChildren().Select(child => child.Value ?? ""))
            .Select(name => name.Trim())
            .Where(name => name.Length > 0)
            .ToList();
}
