using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization;
using Defender.Simulator.Api;
using Defender.Simulator.Identity;
using Defender.Simulator.Tenants;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Hosting;

/// <summary>Registers the simulator's services.</summary>
public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the simulator: options bound from <c>Simulator</c>, tenants, token issuing and validation, API handling.
    /// Uses the registered <see cref="TimeProvider"/> (the system clock unless one was added before).
    /// </summary>
    public static IServiceCollection AddDefenderSimulator(this IServiceCollection services, X509Certificate2? certificate = null)
    {
        services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TenantRegistry>();
        services.AddSingleton<TokenSigningKey>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<CloudDirectory>();
        services.AddSingleton<TokenRequestHandler>();
        services.AddSingleton<ApiThrottling>();
        services.AddSingleton<ApiCallHandler>();
        services.AddSingleton(sp => new SimulatorCertificate(
            certificate, sp.GetRequiredService<IOptions<SimulatorOptions>>(), sp.GetRequiredService<ILogger<SimulatorCertificate>>()));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }
}
