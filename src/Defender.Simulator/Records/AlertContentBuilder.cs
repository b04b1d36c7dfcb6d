namespace Defender.Simulator.Records;

/// <summary>Renders the content of an alert version from its origin: an incident version, or SIEM detections.</summary>
internal static class AlertContentBuilder
{
    public static AlertContent Build(TenantProfile profile, AlertVersion version) =>
        version.Incident is { } plan ? FromIncident(profile, plan, version) : FromDetections(profile, version);

    /// <summary>Machine tags as one list: device-created first, then cloud-created.</summary>
    public static IReadOnlyList<string> TagsOf(DeviceProfile device) =>
    [
        .. device.DeviceCreatedMachineTags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        .. device.CloudCreatedMachineTags.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
    ];

    private static AlertContent FromIncident(TenantProfile profile, IncidentPlan plan, AlertVersion version)
    {
        var state = IncidentStateBuilder.Build(profile, plan, version.IncidentVersion);
        var alert = state.Alerts.First(a => string.Equals(a.AlertId, version.AlertId, StringComparison.Ordinal));
        var template = alert.Template;
        var user = alert.Entities.FirstOrDefault(e => e.Fields.ContainsKey("accountName"));
        return new AlertContent
        {
            Id = alert.AlertId,
            IncidentId = version.IncidentId,
            Title = template.Title,
            Description = template.Description,
            Category = template.Category,
            Severity = template.Severity,
            Status = alert.Status,
            Classification = alert.Classification,
            Determination = alert.Determination,
            AssignedTo = alert.AssignedTo,
            InvestigationId = alert.InvestigationId,
            InvestigationState = alert.InvestigationState,
            DetectionSource = template.DetectionSource,
            ServiceSource = template.ServiceSource,
            ThreatFamilyName = template.ThreatFamilyName,
            ActorName = template.ActorName,
            MitreTechniques = template.MitreTechniques,
            CreatedTime = alert.CreationTime,
            LastUpdateTime = version.LastUpdateTime,
            ResolvedTime = alert.ResolvedTime,
            FirstActivity = alert.FirstActivity,
            LastActivity = alert.LastActivity,
            Device = alert.Device,
            MachineTags = alert.Device is { } device ? TagsOf(device) : [],
            UserName = user?.Fields["accountName"] as string,
            UserDomain = user is null ? null : profile.Domain.Split('.')[0],
            Evidence = alert.Entities,
        };
    }

    private static AlertContent FromDetections(TenantProfile profile, AlertVersion version)
    {
        var group = version.Detections!;
        var facts = group.Facts(profile);
        var review = version.Review;
        var detections = group.Detections.Take(version.DetectionCount).ToList();
        var evidence = new List<EntityState>();
        var file = new EntityState(EntityKind.File);
        file.Fields["sha1"] = facts.Sha1;
        file.Fields["fileName"] = facts.FileName;
        file.Fields["filePath"] = facts.FilePath;
        file.Fields["deviceId"] = facts.Device.DeviceId;
        evidence.Add(file);
        if (facts.CommandLine.Length > 0)
        {
            var process = new EntityState(EntityKind.Process);
            process.Fields["fileName"] = facts.FileName;
            process.Fields["filePath"] = facts.FilePath;
            process.Fields["sha1"] = facts.Sha1;
            process.Fields["processCommandLine"] = facts.CommandLine;
            process.Fields["accountName"] = facts.UserName;
            process.Fields["deviceId"] = facts.Device.DeviceId;
            evidence.Add(process);
        }

        var user = new EntityState(EntityKind.User);
        user.Fields["accountName"] = facts.UserName;
        user.Fields["domainName"] = facts.UserDomain;
        user.Fields["userPrincipalName"] = facts.UserName + "@" + profile.Domain;
        evidence.Add(user);
        foreach (var ip in facts.IpAddresses.Take(detections.Count).Where(ip => ip.Length > 0).Distinct(StringComparer.Ordinal))
        {
            var address = new EntityState(EntityKind.Ip);
            address.Fields["ipAddress"] = ip;
            evidence.Add(address);
        }

        return new AlertContent
        {
            Id = group.AlertId,
            Title = facts.Title,
            Description = facts.Description,
            Category = facts.Category,
            Severity = facts.Severity,
            Status = review?.Status ?? "New",
            Classification = review?.Classification,
            Determination = review?.Determination,
            AssignedTo = review?.AssignedTo,
            InvestigationState = "Queued",
            DetectionSource = facts.Source,
            ServiceSource = AlertNames.EndpointServiceSource,
            ThreatFamilyName = facts.ThreatFamily.Length > 0 ? facts.ThreatFamily : null,
            ThreatName = facts.ThreatName.Length > 0 ? facts.ThreatName : null,
            CreatedTime = facts.AlertTime,
            LastUpdateTime = version.LastUpdateTime,
            ResolvedTime = review is { Status: "Resolved" } ? review.Time : null,
            FirstActivity = facts.AlertTime,
            // Microsoft's SIEM-to-Graph field map: LastProcessedTimeUtc → lastActivityDateTime.
            LastActivity = detections[^1].LastProcessedTime,
            Device = facts.Device,
            MachineTags = facts.MachineTags,
            UserName = facts.UserName,
            UserDomain = facts.UserDomain,
            Evidence = evidence,
            Comments = review is null
                ? []
                : [new IncidentComment($"Reviewed: {review.Status}", review.AssignedTo, review.Time - TimeSpan.FromMilliseconds(100))],
        };
    }
}
