using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Defender.Simulator.Records;

/// <summary>
/// Everything one tenant's generator has produced, materialised on demand up to "now" (or its stop time). Holds no
/// timer: the world advances only when someone asks, so thousands of idle tenants cost only their plans.
/// </summary>
internal sealed partial class TenantWorld
{
    private readonly Lock _gate = new();
    private readonly IncidentTimeline _incidents;
    private readonly SiemAlertTimeline _siem;
    private DateTimeOffset? _stopTime;

    public TenantWorld(Guid tenantId, ResolvedGenerator generator)
    {
        Generator = generator;
        Profile = new TenantProfile(tenantId, generator.Seed, generator.Settings.MachineGroups, generator.Settings.DeviceCount);
        _incidents = new IncidentTimeline(Profile, generator);
        _siem = new SiemAlertTimeline(Profile, generator);
        _stopTime = generator.Settings.StopTime;
    }

    public ResolvedGenerator Generator { get; }

    public TenantProfile Profile { get; }

    public DateTimeOffset? StopTime
    {
        get
        {
            lock (_gate)
            {
                return _stopTime;
            }
        }
    }

    /// <summary>Stops generation at <paramref name="at"/>; an earlier stop stays in force.</summary>
    public DateTimeOffset Stop(DateTimeOffset at)
    {
        lock (_gate)
        {
            _stopTime = _stopTime is { } existing && existing < at ? existing : at;
            return _stopTime.Value;
        }
    }

    /// <summary>The latest visible version of every incident that has one, in incident id order.</summary>
    public List<VisibleIncident> VisibleIncidents(DateTimeOffset now)
    {
        lock (_gate)
        {
            var stop = Horizon(now);
            _incidents.MaterialiseThrough(stop);
            var visible = new List<VisibleIncident>();
            foreach (var plan in _incidents.Plans)
            {
                if (plan.CreatedTime > stop)
                {
                    break; // plans are in creation order
                }

                for (var v = plan.Versions.Length - 1; v >= 0; v--)
                {
                    var version = plan.Versions[v];
                    if (version.LastUpdateTime <= stop && version.VisibleAt <= now)
                    {
                        visible.Add(new VisibleIncident(plan, version));
                        break;
                    }
                }
            }

            return visible;
        }
    }

    /// <summary>Every SIEM detection visible now, in AlertTime order.</summary>
    public List<SiemAlertPlan> VisibleSiemAlerts(DateTimeOffset now)
    {
        lock (_gate)
        {
            var stop = Horizon(now);
            _siem.MaterialiseThrough(stop);
            var visible = new List<SiemAlertPlan>();
            foreach (var plan in _siem.Plans)
            {
                if (plan.AlertTime > stop)
                {
                    break;
                }

                if (plan.LastProcessedTime <= stop && plan.VisibleAt <= now)
                {
                    visible.Add(plan);
                }
            }

            return visible;
        }
    }

    /// <summary>Every incident version generated up to now (visible or not yet).</summary>
    public List<TruthEntry> IncidentTruth(DateTimeOffset now, bool includeRecords)
    {
        var entries = new List<TruthEntry>();
        List<IncidentPlan> plans;
        DateTimeOffset stop;
        lock (_gate)
        {
            stop = Horizon(now);
            _incidents.MaterialiseThrough(stop);
            plans = [.. _incidents.Plans.TakeWhile(p => p.CreatedTime <= stop)];
        }

        foreach (var plan in plans)
        {
            foreach (var version in plan.Versions.Where(v => v.LastUpdateTime <= stop))
            {
                var record = includeRecords ? ToNode(w => IncidentJsonWriter.Write(w, Profile, IncidentStateBuilder.Build(Profile, plan, version.Number))) : null;
                entries.Add(new TruthEntry(
                    plan.IncidentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    version.LastUpdateTime, version.VisibleAt, version.VisibleAt <= now, version.Number, record));
            }
        }

        return entries;
    }

    /// <summary>Every SIEM detection generated up to now (visible or not yet).</summary>
    public List<TruthEntry> SiemTruth(DateTimeOffset now, bool includeRecords)
    {
        List<SiemAlertPlan> plans;
        DateTimeOffset stop;
        lock (_gate)
        {
            stop = Horizon(now);
            _siem.MaterialiseThrough(stop);
            plans = [.. _siem.Plans.TakeWhile(p => p.AlertTime <= stop).Where(p => p.LastProcessedTime <= stop)];
        }

        return
        [
            .. plans.Select(p => new TruthEntry(
                p.FullId, p.LastProcessedTime, p.VisibleAt, p.VisibleAt <= now, 0,
                includeRecords ? ToNode(w => SiemAlertJsonWriter.Write(w, Profile, p)) : null)),
        ];
    }

    private DateTimeOffset Horizon(DateTimeOffset now) => _stopTime is { } stop && stop < now ? stop : now;

    private static JsonNode? ToNode(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireJson.Options))
        {
            write(writer);
        }

        return JsonNode.Parse(buffer.WrittenSpan);
    }
}

/// <summary>An incident and the version of it the API serves now.</summary>
internal readonly record struct VisibleIncident(IncidentPlan Plan, IncidentVersion Version);
