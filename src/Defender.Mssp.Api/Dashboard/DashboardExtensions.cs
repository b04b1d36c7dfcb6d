using Defender.Mssp.Api.Dashboard;
using Defender.Mssp.Api.Dashboard.Fleet;
using Defender.Mssp.Api.Dashboard.History;
using Defender.Mssp.Api.Dashboard.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>The operator dashboard: what it registers and the routes it maps.</summary>
public static class DashboardExtensions
{
    /// <summary>
    /// Registers the dashboard (<c>Api:Dashboard</c>, see <see cref="DashboardOptions"/>): the fleet reader and its
    /// shared snapshot, the in-memory history and the sampler that feeds it, and the embedded page. Call after
    /// <c>AddTenantsApi</c>, whose storage, membership table and security it uses.
    /// </summary>
    public static TBuilder AddOperatorDashboard<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FleetReader>();
        services.TryAddSingleton<IFleetSource>(sp => sp.GetRequiredService<FleetReader>());
        services.TryAddSingleton<FleetHistory>();
        services.TryAddSingleton<FleetMonitor>();
        services.TryAddSingleton(_ => DashboardAssets.Load(typeof(DashboardAssets).Assembly));
        if (builder.Configuration.GetSection(DashboardOptions.SectionName).GetValue(nameof(DashboardOptions.Enabled), true))
        {
            services.AddHostedService<FleetSampler>();
        }

        return builder;
    }

    /// <summary>
    /// Maps the page at <c>/</c>, its files and its data under <c>/dashboard</c> (see <see cref="DashboardEndpoints"/>),
    /// unless <c>Api:Dashboard:Enabled</c> is false. Call after <c>MapTenantsApi</c>, which adds the authentication,
    /// rate limiting and authorization the data routes rely on.
    /// </summary>
    public static WebApplication MapOperatorDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Enabled)
        {
            app.MapDashboardEndpoints();
        }

        return app;
    }
}
