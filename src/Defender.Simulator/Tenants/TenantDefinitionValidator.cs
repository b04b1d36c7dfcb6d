namespace Defender.Simulator.Tenants;

/// <summary>Rejects tenant definitions the simulator cannot honour, with a message for the admin API's caller.</summary>
internal static class TenantDefinitionValidator
{
    public static string? Validate(TenantDefinition definition)
    {
        if (definition.TenantId == Guid.Empty)
        {
            return "tenantId is required.";
        }

        foreach (var app in definition.Apps)
        {
            if (string.IsNullOrWhiteSpace(app.ClientId))
            {
                return "Every app needs a clientId.";
            }

            if (app.Secrets.Any(s => string.IsNullOrEmpty(s.Value)))
            {
                return $"A secret of app '{app.ClientId}' has no value.";
            }

            if (app.Certificates.Any(c => !RegisteredCertificate.IsValid(c.Certificate)))
            {
                return $"A certificate of app '{app.ClientId}' is not PEM or base64 DER.";
            }
        }

        if (definition.Apps.GroupBy(a => a.ClientId, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1))
        {
            return "Client ids must be unique within a tenant.";
        }

        var generator = definition.Generator;
        if (generator.IncidentsPerMinute < 0 || generator.SiemAlertsPerMinute < 0)
        {
            return "Generator rates cannot be negative.";
        }

        if (generator.IncidentsPerMinute > 10_000 || generator.SiemAlertsPerMinute > 10_000)
        {
            return "Generator rates above 10,000 per minute are not supported.";
        }

        if (definition.Sources.FirstOrDefault(s => !SimulatedApis.IsKnown(s)) is { } unknown)
        {
            return $"Unknown source '{unknown}'; use {string.Join(", ", SimulatedApis.All)}.";
        }

        return definition.Faults.Select(f => f.Problem()).FirstOrDefault(p => p is not null);
    }
}
