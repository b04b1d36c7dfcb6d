using Microsoft.Extensions.Options;

namespace Defender.Mssp.Sinks;

/// <summary>Checks at start that every sink is usable and every name a set refers to is defined.</summary>
internal sealed class RecordSinksOptionsValidator : IValidateOptions<RecordSinksOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordSinksOptions options)
    {
        var problems = new List<string>(options.BindingErrors);
        foreach (var (sinkName, definition) in options.Definitions)
        {
            problems.AddRange(definition.Validate().Select(problem => $"Sink '{sinkName}': {problem}"));
        }

        problems.AddRange(options.Default.Where(sink => !options.Definitions.ContainsKey(sink))
            .Select(sink => $"Sinks:Default names '{sink}', which Sinks:Definitions does not define."));
        foreach (var (tenantId, tenant) in options.Tenants)
        {
            if (!SinkPathNames.IsTenantFolder(tenantId))
            {
                problems.Add($"Sinks:Tenants:{tenantId} is not a tenant id.");
            }

            if (tenant.Mode == SinkOverrideMode.Replace && tenant.Sinks.Count == 0)
            {
                problems.Add($"Sinks:Tenants:{tenantId} replaces the default sinks with none: its records would go nowhere.");
            }

            problems.AddRange(tenant.Sinks.Where(sink => !options.Definitions.ContainsKey(sink))
                .Select(sink => $"Sinks:Tenants:{tenantId} names '{sink}', which Sinks:Definitions does not define."));
        }

        if (options.IdleSinkLifetime <= TimeSpan.Zero)
        {
            problems.Add("Sinks:IdleSinkLifetime must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
