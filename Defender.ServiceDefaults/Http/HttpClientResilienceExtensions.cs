using Defender.ServiceDefaults.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>HttpClient defaults: a Polly resilience pipeline on every factory client that does not opt out.</summary>
public static class HttpClientResilienceExtensions
{
    /// <summary>
    /// Adds the default resilience pipeline (<see cref="HttpClientResilienceOptions"/>, section
    /// <c>HttpClientDefaults:Resilience</c>) to every <see cref="IHttpClientFactory"/> client except those in
    /// <see cref="HttpClientResilienceOptions.ExcludedClients"/>: by default the Defender clients, which have their own.
    /// </summary>
    public static IServiceCollection AddDefaultHttpClientResilience(this IServiceCollection services)
    {
        services.AddHttpClient();
        services.AddOptions<HttpClientResilienceOptions>()
            .BindConfiguration(HttpClientResilienceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new HttpClientResiliencePipeline(
            sp.GetRequiredService<IOptions<HttpClientResilienceOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, DefaultResilienceHandlerSetup>());
        return services;
    }

    /// <summary>Keeps the named client out of the default pipeline (it has resilience of its own).</summary>
    public static IServiceCollection ExcludeFromDefaultHttpClientResilience(this IServiceCollection services, string clientName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        services.Configure<HttpClientResilienceOptions>(options => options.ExcludedClients.Add(clientName));
        return services;
    }
}
