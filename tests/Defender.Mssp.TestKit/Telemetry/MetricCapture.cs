using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Defender.Mssp.TestKit.Telemetry;

/// <summary>
/// Records every measurement of the <c>Defender.Mssp</c> meters created by one <see cref="IMeterFactory"/> (a test's
/// own, see <see cref="TestMeterFactory"/>, or a test host's), with the instrument's unit and the tags.
/// Observable instruments are read by <see cref="Observe"/>.
/// </summary>
public sealed class MetricCapture : IDisposable
{
    public const string ProductMeter = "Defender.Mssp";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<CapturedMeasurement> _measurements = new();
    private readonly ConcurrentDictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);

    public MetricCapture(IMeterFactory scope, string meterName = ProductMeter)
    {
        ArgumentNullException.ThrowIfNull(scope);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                _instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Instruments seen so far, by name.</summary>
    public IReadOnlyDictionary<string, Instrument> Instruments => _instruments;

    /// <summary>The measurements of <paramref name="instrument"/> so far, in order.</summary>
    public IReadOnlyList<CapturedMeasurement> Of(string instrument) =>
        _measurements.Where(measurement => measurement.Instrument == instrument).ToList();

    /// <summary>Reads the observable instruments (gauges) now and returns what they reported.</summary>
    public IReadOnlyList<CapturedMeasurement> Observe(string instrument)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return _measurements.Skip(before).Where(measurement => measurement.Instrument == instrument).ToList();
    }

    /// <summary>The unit <paramref name="instrument"/> was created with.</summary>
    public string? UnitOf(string instrument) => _instruments.TryGetValue(instrument, out var found) ? found.Unit : null;

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue(new CapturedMeasurement(
            instrument.Name, instrument.Unit, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value, StringComparer.Ordinal)));
}

/// <summary>One measurement: the instrument's name and unit, the value and its tags.</summary>
public sealed record CapturedMeasurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>The tag's value as text, or null when the measurement lacks the tag.</summary>
    public string? Tag(string key) => Tags.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    public bool HasTags(params (string Key, object? Value)[] expected) =>
        expected.All(tag => Tags.TryGetValue(tag.Key, out var value) && Equals(Normalise(value), Normalise(tag.Value)));

    private static object? Normalise(object? value) => value is int or long or short ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : value;
}
