using System.Net;
using System.Text.RegularExpressions;
using Defender.Mssp.Api.Contracts;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Api.Validation;

/// <summary>
/// Checks a tenant's <c>sinks</c>: the mode, each sink a known type with the settings that type takes and nothing
/// else, URLs absolute https (http only to loopback), ports 1–65535, folders relative without <c>..</c>, references
/// naming configured sinks. Every violation is reported under its field (<c>sinks.sinks[1].url</c>); messages never
/// repeat the value, which may be a secret.
/// </summary>
public static partial class TenantSinkValidator
{
    /// <summary>
    /// The validated sinks, secrets as <see cref="Secret"/>; null with <paramref name="valid"/> true when the tenant is
    /// to use the defaults (add mode with no sinks).
    /// </summary>
    public static TenantSinks? Validate(TenantSinksInput input, string field, GlobalSinkNames names, FieldErrors errors, out bool valid)
    {
        ArgumentNullException.ThrowIfNull(input);
        var before = errors.Count;
        var mode = TenantSinkMode.Add;
        if (string.Equals(input.Mode, "replace", StringComparison.OrdinalIgnoreCase))
        {
            mode = TenantSinkMode.Replace;
        }
        else if (input.Mode is not null && !string.Equals(input.Mode, "add", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{field}.mode", "Must be add or replace.");
        }

        var sinks = new List<TenantSink>();
        if (input.Sinks is null)
        {
            errors.Add($"{field}.sinks", "Required: a list of sinks (empty with mode add for the defaults).");
        }
        else if (input.Sinks.Count > TenantSinkTypes.MaxSinks)
        {
            errors.Add($"{field}.sinks", $"At most {TenantSinkTypes.MaxSinks} sinks.");
        }
        else
        {
            if (mode == TenantSinkMode.Replace && input.Sinks.Count == 0)
            {
                errors.Add($"{field}.sinks", "Replacing the default sinks with none would deliver the tenant's records nowhere.");
            }

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < input.Sinks.Count; i++)
            {
                var prefix = $"{field}.sinks[{i}]";
                if (Sink(input.Sinks[i], prefix, names, errors) is { } sink)
                {
                    if (!seen.Add(sink.Name))
                    {
                        errors.Add($"{prefix}.name", "Named more than once.");
                    }

                    sinks.Add(sink);
                }
            }
        }

        valid = errors.Count == before;
        return valid && sinks.Count > 0 ? new TenantSinks(mode, sinks) : null;
    }

    private static TenantSink? Sink(TenantSinkInput? input, string prefix, GlobalSinkNames names, FieldErrors errors)
    {
        if (input is null)
        {
            errors.Add(prefix, "Must be a sink object.");
            return null;
        }

        var before = errors.Count;
        var name = input.Name;
        if (string.IsNullOrEmpty(name))
        {
            errors.Add($"{prefix}.name", "Required.");
        }
        else if (!SinkName().IsMatch(name))
        {
            errors.Add($"{prefix}.name", "Must be 1-64 letters, digits, '-' and '_', starting with a letter or digit.");
        }

        var given = Given(input);
        if (input.Type is null)
        {
            if (given.Count > 0)
            {
                errors.Add($"{prefix}.type", "Required for a sink defined here; a reference to a configured sink gives only its name.");
            }
            else if (name is not null && errors.Count == before && !names.Contains(name))
            {
                errors.Add($"{prefix}.name", "No sink of that name is configured (Sinks:Definitions); give a type to define one here.");
            }

            return errors.Count > before ? null : new TenantSink { Name = name!, Kind = TenantSinkKind.Named };
        }

        if (!TenantSinkTypes.ByName.TryGetValue(input.Type, out var kind))
        {
            errors.Add($"{prefix}.type", $"Must be one of {string.Join(", ", TenantSinkTypes.Names)}.");
            return null;
        }

        var allowed = TenantSinkTypes.FieldsOf(kind);
        foreach (var field in given.Where(field => !allowed.Contains(field)))
        {
            errors.Add($"{prefix}.{field}", $"Not a setting of {TenantSinkTypes.NameOf(kind)} sinks.");
        }

        var sink = kind switch
        {
            TenantSinkKind.JsonLines or TenantSinkKind.Csv => new TenantSink { Name = name ?? "", Kind = kind, Folder = Folder(input.Folder, $"{prefix}.folder", errors) },
            TenantSinkKind.Http or TenantSinkKind.SplunkHec => Http(input, kind, prefix, errors) with { Name = name ?? "" },
            _ => Syslog(input, prefix, errors) with { Name = name ?? "" },
        };
        return errors.Count > before ? null : sink;
    }

    private static string? Folder(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "Required: a relative folder, e.g. soc/contoso.");
            return null;
        }

        if (value.Length > TenantSinkTypes.MaxFolderLength)
        {
            errors.Add(field, $"Must be at most {TenantSinkTypes.MaxFolderLength} characters.");
            return null;
        }

        var segments = value.Split('/');
        if (segments.Any(segment => segment is "." or ".."))
        {
            errors.Add(field, "Must not contain '.' or '..' segments.");
            return null;
        }

        if (!segments.All(segment => FolderSegment().IsMatch(segment)))
        {
            errors.Add(field, "Must be a relative path: segments of letters, digits, '.', '-' and '_' separated by '/'.");
            return null;
        }

        return value;
    }

    private static TenantSink Http(TenantSinkInput input, TenantSinkKind kind, string prefix, FieldErrors errors)
    {
        var url = Url(input.Url, $"{prefix}.url", errors);
        var headers = new Dictionary<string, Secret>(StringComparer.OrdinalIgnoreCase);
        if (input.Headers is { Count: > TenantSinkTypes.MaxHeaders })
        {
            errors.Add($"{prefix}.headers", $"At most {TenantSinkTypes.MaxHeaders} headers.");
        }
        else
        {
            foreach (var (header, value) in input.Headers ?? [])
            {
                var field = $"{prefix}.headers.{header}";
                if (!HeaderName().IsMatch(header))
                {
                    errors.Add($"{prefix}.headers", "A header name is not a valid HTTP header name.");
                }
                else if (TenantSinkTypes.ReservedHeaders.Contains(header)
                    || kind == TenantSinkKind.SplunkHec && string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(field, kind == TenantSinkKind.SplunkHec && header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
                        ? "Set by the sink from token." : "Set by the sink itself.");
                }
                else if (string.IsNullOrEmpty(value))
                {
                    errors.Add(field, "Required: a value.");
                }
                else if (value.Length > TenantSinkTypes.MaxHeaderValueLength || value.Any(char.IsControl))
                {
                    errors.Add(field, $"Must be at most {TenantSinkTypes.MaxHeaderValueLength} characters without control characters.");
                }
                else
                {
                    headers[header] = new Secret(value);
                }
            }
        }

        Secret? token = null;
        if (kind == TenantSinkKind.SplunkHec)
        {
            if (string.IsNullOrEmpty(input.Token))
            {
                errors.Add($"{prefix}.token", "Required for hec sinks.");
            }
            else if (input.Token.Length > TenantSinkTypes.MaxTokenLength || input.Token.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors.Add($"{prefix}.token", $"Must be at most {TenantSinkTypes.MaxTokenLength} characters without white space or control characters.");
            }
            else
            {
                token = new Secret(input.Token);
            }

            if (input.Index is not null && !SplunkIndex().IsMatch(input.Index))
            {
                errors.Add($"{prefix}.index", "Must be a Splunk index name: lowercase letters, digits, '_' and '-', at most 80 characters.");
            }

            if (input.SourceType is not null && (input.SourceType.Length is 0 or > TenantSinkTypes.MaxSourceTypeLength || input.SourceType.Any(char.IsControl)))
            {
                errors.Add($"{prefix}.sourceType", $"Must be 1-{TenantSinkTypes.MaxSourceTypeLength} characters without control characters.");
            }
        }

        return new TenantSink
        {
            Name = "",
            Kind = kind,
            Url = url,
            Headers = headers,
            Token = token,
            Index = input.Index,
            SourceType = input.SourceType,
            Gzip = input.Gzip ?? false,
        };
    }

    private static Uri? Url(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "Required: an absolute https URL.");
            return null;
        }

        if (value.Length > TenantSinkTypes.MaxUrlLength || !Uri.TryCreate(value, UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add(field, "Must be an absolute https URL.");
            return null;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            errors.Add(field, "Must be https: plain http is allowed only to a loopback address.");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            // Credentials in a URL would be shown in responses and logs; they go in headers, which are sealed.
            errors.Add(field, "Must not carry credentials; put them in headers or token.");
            return null;
        }

        return url;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || IPAddress.TryParse(url.IdnHost, out var address) && IPAddress.IsLoopback(address);

    private static TenantSink Syslog(TenantSinkInput input, string prefix, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(input.Host))
        {
            errors.Add($"{prefix}.host", "Required.");
        }
        else if (input.Host.Length > TenantSinkTypes.MaxHostLength || Uri.CheckHostName(input.Host) == UriHostNameType.Unknown)
        {
            errors.Add($"{prefix}.host", "Must be a host name or an IP address.");
        }

        if (input.Port is < 1 or > 65535)
        {
            errors.Add($"{prefix}.port", "Must be 1-65535.");
        }

        var format = input.Format is null ? null : TenantSinkTypes.SyslogFormats.FirstOrDefault(known => string.Equals(known, input.Format, StringComparison.OrdinalIgnoreCase));
        if (input.Format is not null && format is null)
        {
            errors.Add($"{prefix}.format", $"Must be one of {string.Join(", ", TenantSinkTypes.SyslogFormats)}.");
        }

        return new TenantSink { Name = "", Kind = TenantSinkKind.Syslog, Host = input.Host, Port = input.Port, Format = format, Tls = input.Tls ?? false };
    }

    /// <summary>The settings given beyond name and type, by JSON name.</summary>
    private static List<string> Given(TenantSinkInput input)
    {
        var given = new List<string>();
        void Add(bool isGiven, string field)
        {
            if (isGiven)
            {
                given.Add(field);
            }
        }

        Add(input.Folder is not null, "folder");
        Add(input.Url is not null, "url");
        Add(input.Headers is not null, "headers");
        Add(input.Token is not null, "token");
        Add(input.Index is not null, "index");
        Add(input.SourceType is not null, "sourceType");
        Add(input.Gzip is not null, "gzip");
        Add(input.Host is not null, "host");
        Add(input.Port is not null, "port");
        Add(input.Format is not null, "format");
        Add(input.Tls is not null, "tls");
        return given;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SinkName();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FolderSegment();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_-]{0,79}$", RegexOptions.CultureInvariant)]
    private static partial Regex SplunkIndex();
}
