namespace Defender.Simulator.Records;

/// <summary>
/// Derives the content of an incident version from its plan: the incident as created, then each later version's
/// change (assignment, resolution, a joining alert, a tag, a merge) applied in order. Pure: the same plan and version
/// always give the same content.
/// </summary>
internal static class IncidentStateBuilder
{
    private static readonly string[] TruePositiveDeterminations = ["Malware", "Apt", "UnwantedSoftware", "SecurityTesting"];
    private static readonly string[] FalsePositiveDeterminations = ["Other", "SecurityPersonnel"];
    private static readonly string[] IncidentTags = ["Escalated", "Customer notified", "Ransomware", "VIP"];

    public static IncidentState Build(TenantProfile profile, IncidentPlan plan, int versionNumber)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(plan.Seed, "content"));
        var template = random.Pick(IncidentCatalog.Incidents);
        var device = random.Pick(profile.Devices);
        var first = plan.Versions[0].LastUpdateTime;
        var state = new IncidentState
        {
            IncidentId = plan.IncidentId,
            IncidentName = template.Name,
            CreatedTime = plan.CreatedTime,
            LastUpdateTime = first,
        };

        var alertCount = random.Next(1, template.Alerts.Length + 1);
        for (var i = 0; i < alertCount; i++)
        {
            var created = plan.CreatedTime - random.NextTimeSpan(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
            state.Alerts.Add(NewAlert(profile, template.Alerts[i], DeterministicRandom.Derive(plan.Seed, (ulong)i), created, first, device));
        }

        state.Severity = HighestSeverity(state);
        for (var v = 1; v <= versionNumber && v < plan.Versions.Length; v++)
        {
            ApplyChange(profile, state, plan, v, device);
        }

        return state;
    }

    private static void ApplyChange(TenantProfile profile, IncidentState state, IncidentPlan plan, int version, DeviceProfile device)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(plan.Seed, 0xC4A0UL + (ulong)version));
        var time = plan.Versions[version].LastUpdateTime;
        state.LastUpdateTime = time;
        var analyst = $"secop{random.Next(1, 6)}@{profile.Domain}";

        var roll = random.NextDouble();
        var closed = state.Status is "Resolved" or "Redirected";
        var isLast = version == plan.Versions.Length - 1;
        if (closed || roll >= 0.85 && roll < 0.93)
        {
            var tag = random.Pick(IncidentTags);
            if (!state.Tags.Contains(tag))
            {
                state.Tags.Add(tag);
            }

            state.Comments.Add(new IncidentComment($"Tagged '{tag}' after review", analyst, time - TimeSpan.FromMilliseconds(200)));
        }
        else if (roll >= 0.93 && isLast && plan.IncidentId > profile.IncidentIdBase)
        {
            // Merged into an earlier incident: the absorbed one points at it.
            state.RedirectIncidentId = plan.IncidentId - random.Next(1, Math.Min(5, plan.IncidentId - profile.IncidentIdBase) + 1);
            state.Status = "Redirected";
        }
        else if (roll < 0.3 || roll >= 0.93)
        {
            state.Status = "InProgress";
            state.AssignedTo = analyst;
            foreach (var alert in state.Alerts)
            {
                alert.Status = "InProgress";
                alert.AssignedTo = analyst;
                alert.LastUpdatedTime = Before(time, random);
            }
        }
        else if (roll < 0.6)
        {
            var truePositive = random.Chance(0.6);
            state.Status = "Resolved";
            state.AssignedTo ??= analyst;
            state.Classification = truePositive ? "TruePositive" : "FalsePositive";
            state.Determination = random.Pick(truePositive ? TruePositiveDeterminations : FalsePositiveDeterminations);
            state.Comments.Add(new IncidentComment("Resolved: " + state.Determination, analyst, time - TimeSpan.FromMilliseconds(300)));
            foreach (var alert in state.Alerts)
            {
                alert.Status = "Resolved";
                alert.Classification = state.Classification;
                alert.Determination = state.Determination;
                alert.AssignedTo ??= analyst;
                alert.ResolvedTime = Before(time, random);
                alert.LastUpdatedTime = alert.ResolvedTime.Value;
            }
        }
        else
        {
            var joining = random.Pick(IncidentCatalog.JoiningAlerts);
            var created = time - random.NextTimeSpan(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
            var alertSeed = DeterministicRandom.Derive(plan.Seed, 0xA1E0UL + (ulong)version);
            state.Alerts.Add(NewAlert(profile, joining, alertSeed, created, Before(time, random), device));
            state.Severity = HighestSeverity(state);
        }
    }

    private static AlertState NewAlert(
        TenantProfile profile, AlertTemplate template, ulong seed, DateTimeOffset created, DateTimeOffset updated, DeviceProfile device)
    {
        var random = new DeterministicRandom(seed);
        var activity = created - random.NextTimeSpan(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
        var alert = new AlertState
        {
            AlertId = AlertId(template.ServiceSource, created, random),
            Template = template,
            CreationTime = created,
            LastUpdatedTime = updated,
            FirstActivity = activity,
            LastActivity = activity + random.NextTimeSpan(TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            InvestigationState = template.InvestigationState,
            InvestigationId = template.ServiceSource == "MicrosoftDefenderATP" && random.Chance(0.5) ? random.Next(1000, 99999) : null,
            Device = template.OnDevice ? device : null,
        };

        foreach (var kind in template.Entities)
        {
            alert.Entities.Add(EntityFactory.Create(kind, profile, device, created, random));
        }

        return alert;
    }

    private static string AlertId(string serviceSource, DateTimeOffset created, DeterministicRandom random) => serviceSource switch
    {
        "MicrosoftDefenderATP" => "da" + created.UtcTicks + "_" + random.NextDigits(9),
        "MicrosoftCloudAppSecurity" => "ca" + random.NextGuid().ToString("D").ToUpperInvariant(),
        "OfficeATP" => "fa" + random.NextGuid().ToString("D"),
        _ => "aa" + random.NextGuid().ToString("D"),
    };

    private static DateTimeOffset Before(DateTimeOffset time, DeterministicRandom random) =>
        time - random.NextTimeSpan(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50));

    private static string HighestSeverity(IncidentState state) =>
        state.Alerts.Select(a => a.Template.Severity).MaxBy(IncidentCatalog.SeverityRank) ?? "Informational";
}
