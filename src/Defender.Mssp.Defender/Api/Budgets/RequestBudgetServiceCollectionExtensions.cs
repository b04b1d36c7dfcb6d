using Defender.Mssp.Defender.Configuration;
using Defender.Mssp.Defender.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>Registers the request budgets <see cref="DefenderApiClient"/> paces its requests with.</summary>
internal static class RequestBudgetServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="DefenderBudgetOptions"/> from <c>Defender:Budgets</c> (per-API sections beside the settings),
    /// validated on start; <see cref="RequestBudgetRegistry"/> and <see cref="DefenderBudgetMetrics"/>.
    /// </summary>
    public static IServiceCollection AddRequestBudgets(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DefenderBudgetOptions.SectionName);
        services.AddOptions<DefenderBudgetOptions>()
            .Bind(section)
            .Configure(options => options.BindApis(section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DefenderBudgetOptions>, DefenderBudgetOptionsValidator>());
        services.TryAddSingleton<DefenderBudgetMetrics>();
        services.TryAddSingleton<RequestBudgetRegistry>();
        return services;
    }
}
