using System.Diagnostics.Metrics;

namespace Defender.Mssp.TestKit.Telemetry;

/// <summary>
/// An <see cref="IMeterFactory"/> of one test's own: its meters carry it as <see cref="Meter.Scope"/>, so a
/// <see cref="MetricCapture"/> hears only that test's measurements while other tests record on meters of the same name.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];
    private readonly Lock _gate = new();

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name)
        {
            Version = options.Version,
            Tags = options.Tags,
            Scope = this,
        });
        lock (_gate)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
