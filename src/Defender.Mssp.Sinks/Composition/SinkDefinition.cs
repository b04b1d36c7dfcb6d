using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Defender.Mssp.Sinks.Csv;
using Defender.Mssp.Sinks.Http;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Sinks;

/// <summary>
/// One named sink and its settings: what configuration (<c>Sinks:Definitions:{name}</c>) and tenant overrides
/// (<see cref="ITenantSinkOverrides"/>) describe, and <see cref="ISinkFactory"/> turns into an <see cref="IRecordSink"/>.
/// </summary>
/// <remarks>
/// Two definitions with the same name, type and settings share one sink instance, however often they are created
/// (a configuration reload, an API read): instances are keyed by <see cref="Fingerprint"/>, a hash of all of that
/// with secrets hashed too, so a rotated token makes a new instance and no secret is kept in the key.
/// </remarks>
public sealed class SinkDefinition
{
    private static readonly JsonSerializerOptions FingerprintJson = new() { Converters = { new HashedSecretConverter() } };

    private readonly Lazy<string> _fingerprint;

    private SinkDefinition(string name, SinkType type, object options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type;
        Options = options;
        _fingerprint = new Lazy<string>(ComputeFingerprint);
    }

    /// <summary>The sink's name: in logs, metrics (<c>defender.sink.name</c>), health and error messages.</summary>
    public string Name { get; }

    public SinkType Type { get; }

    /// <summary>The settings: <see cref="JsonLinesSinkOptions"/>, <see cref="CsvSinkOptions"/>, <see cref="HttpSinkOptions"/> or <see cref="SyslogSinkOptions"/>.</summary>
    public object Options { get; }

    /// <summary>The kind as the sinks' metrics name it (<c>defender.sink</c>): json_lines, csv, http, syslog.</summary>
    public string Kind => Type switch
    {
        SinkType.JsonLines => JsonLinesFileSink.SinkKind,
        SinkType.Csv => CsvFileSink.SinkKind,
        SinkType.Http => HttpRecordSink.SinkKind,
        _ => SyslogRecordSink.SinkKind,
    };

    /// <summary>Identifies name, type and settings (secrets included, as hashes); equal definitions share an instance.</summary>
    public string Fingerprint => _fingerprint.Value;

    public static SinkDefinition JsonLines(string name, JsonLinesSinkOptions options) => new(name, SinkType.JsonLines, options);

    public static SinkDefinition Csv(string name, CsvSinkOptions options) => new(name, SinkType.Csv, options);

    public static SinkDefinition Http(string name, HttpSinkOptions options) => new(name, SinkType.Http, options);

    public static SinkDefinition Syslog(string name, SyslogSinkOptions options) => new(name, SinkType.Syslog, options);

    /// <summary>The problems that make this definition unusable; empty when it is fine.</summary>
    public IEnumerable<string> Validate() => Options switch
    {
        JsonLinesSinkOptions jsonLines => string.IsNullOrWhiteSpace(jsonLines.Path) ? ["Path is required."]
            : jsonLines.MaxFileSizeBytes < 0 ? ["MaxFileSizeBytes must be 0 (no limit) or more."] : [],
        CsvSinkOptions csv => string.IsNullOrWhiteSpace(csv.Path) ? ["Path is required."] : [],
        HttpSinkOptions http => http.Validate(),
        SyslogSinkOptions syslog => syslog.Validate(),
        _ => ["Unknown sink settings."],
    };

    public override string ToString() => $"{Name} ({Kind})";

    private string ComputeFingerprint()
    {
        var json = JsonSerializer.Serialize(Options, Options.GetType(), FingerprintJson);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Name}\n{Type}\n{json}"));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Writes a secret as its hash: changes show, the value does not.</summary>
    private sealed class HashedSecretConverter : JsonConverter<Secret>
    {
        public override Secret Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value.Reveal()))));
    }
}
