using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Defender.ServiceDefaults.Http;

/// <summary>
/// Puts the <see cref="ResilienceHandler"/> outermost in every factory client's handler chain unless the client's name
/// is excluded. A named options setup rather than <c>ConfigureHttpClientDefaults</c>, because only the named setup is
/// told which client it configures, and the exclusion is by name.
/// </summary>
internal sealed class DefaultResilienceHandlerSetup(IOptionsMonitor<HttpClientResilienceOptions> options)
    : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions clientOptions)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled || settings.ExcludedClients.Contains(name ?? Options.DefaultName))
        {
            return;
        }

        clientOptions.HttpMessageHandlerBuilderActions.Add(handlers =>
            handlers.AdditionalHandlers.Insert(0, new ResilienceHandler(
                handlers.Services.GetRequiredService<HttpClientResiliencePipeline>().Pipeline)));
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);
}
