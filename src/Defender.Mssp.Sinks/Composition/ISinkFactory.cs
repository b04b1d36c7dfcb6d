using Defender.Mssp.Sinks.Csv;
using Defender.Mssp.Sinks.Http;
using Defender.Mssp.Sinks.Syslog;
using Defender.Mssp.Sinks.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>Turns a <see cref="SinkDefinition"/> into a working sink.</summary>
public interface ISinkFactory
{
    /// <exception cref="ArgumentException">The definition's settings are not valid.</exception>
    /// <exception cref="SinkFaultException">A file the sink needs (trust anchors) cannot be read.</exception>
    IRecordSink Create(SinkDefinition definition);
}

/// <summary>Creates the product's sinks, each with the shared clock, loggers and metrics.</summary>
public sealed class SinkFactory(TimeProvider timeProvider, ILoggerFactory? loggerFactory = null, SinkMetrics? metrics = null) : ISinkFactory
{
    private readonly ILoggerFactory _loggers = loggerFactory ?? NullLoggerFactory.Instance;

    public IRecordSink Create(SinkDefinition definition) => definition.Options switch
    {
        JsonLinesSinkOptions jsonLines => new JsonLinesFileSink(Options.Create(jsonLines), timeProvider, _loggers.CreateLogger<JsonLinesFileSink>(), metrics),
        CsvSinkOptions csv => new CsvFileSink(Options.Create(csv), timeProvider, _loggers.CreateLogger<CsvFileSink>(), metrics),
        HttpSinkOptions http => new HttpRecordSink(definition.Name, http, timeProvider, _loggers.CreateLogger<HttpRecordSink>(), metrics),
        SyslogSinkOptions syslog => new SyslogRecordSink(definition.Name, syslog, timeProvider, _loggers.CreateLogger<SyslogRecordSink>(), metrics),
        _ => throw new ArgumentException($"Sink '{definition.Name}' has settings of an unknown type.", nameof(definition)),
    };
}
